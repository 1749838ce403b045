"""Who may reach the evaluation's pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin,
individual, session_registrant. A series you are not part
of is 404; taking part without the right is 403. The `series` fixture gets
an evaluation collecting answers, and a finished PDF export.
"""

LOGIN, OK = "login", 200
VIEW = (LOGIN, 404, 404, OK, OK, 404, OK, OK, OK, 404)
VIEW_REDIRECT = (LOGIN, 404, 404, 302, 302, 404, 302, 302, 302, 404)
MANAGE = (LOGIN, 404, 404, 403, 403, 404, OK, OK, 403, 404)
MANAGE_POST = (LOGIN, 404, 404, 403, 403, 404, 302, 302, 403, 404)
WRITE = (LOGIN, 404, 404, 403, OK, 404, OK, OK, 403, 404)
WRITE_POST = (LOGIN, 404, 404, 403, 302, 404, 302, 302, 403, 404)

EXPECTED = {
    "evaluations:series_evaluation": VIEW_REDIRECT,
    "evaluations:evaluation_open": MANAGE_POST,
    "evaluations:evaluation_detail": VIEW,
    "evaluations:evaluation_transition": MANAGE_POST,
    "evaluations:questionnaire": MANAGE,
    "evaluations:evaluation_deadline": MANAGE_POST,
    "evaluations:question_edit": MANAGE,
    "evaluations:question_delete": MANAGE_POST,
    "evaluations:question_move": MANAGE_POST,
    "evaluations:response_edit": (LOGIN, 404, 404, 403, OK, 404, 403, 403, 403, 404),
    "evaluations:answers": VIEW,
    "evaluations:section_edit": WRITE,
    "evaluations:section_history": VIEW,
    "evaluations:section_comment": WRITE_POST,
    "evaluations:approval": (LOGIN, 404, 404, 403, 302, 404, 403, 403, 403, 404),
    "evaluations:indicators": VIEW,
    "evaluations:exports": MANAGE,
    "evaluations:export_start": MANAGE_POST,
    "evaluations:export_status": MANAGE,
    "evaluations:export_download": MANAGE,
}
POST_ONLY = {
    "evaluations:evaluation_open",
    "evaluations:evaluation_transition",
    "evaluations:evaluation_deadline",
    "evaluations:question_delete",
    "evaluations:question_move",
    "evaluations:section_comment",
    "evaluations:approval",
    "evaluations:export_start",
}
POST_DATA: dict[str, dict] = {}


def url_kwargs(request) -> dict:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from evaluations.models import ExportJob
    from evaluations.services import evaluation_open

    series = request.getfixturevalue("series")
    evaluation = evaluation_open(actor=request.getfixturevalue("coordinator"), series=series)
    job = ExportJob.objects.create(
        evaluation=evaluation, format="pdf", status="done", progress=100, expires_at=timezone.now()
    )
    job.file.save(f"{job.public_id}.pdf", ContentFile(b"%PDF-1.7 test"))
    question, removable = evaluation.questions.order_by("position")[:2]
    section = evaluation.sections.first()
    on_series = {"series_id": series.public_id}
    on_evaluation = {"evaluation_id": evaluation.public_id}
    return {
        "evaluations:series_evaluation": on_series,
        "evaluations:evaluation_open": on_series,
        "evaluations:evaluation_detail": on_evaluation,
        "evaluations:evaluation_transition": on_evaluation,
        "evaluations:questionnaire": on_evaluation,
        "evaluations:evaluation_deadline": on_evaluation,
        "evaluations:question_edit": on_evaluation | {"question_id": question.pk},
        "evaluations:question_delete": on_evaluation | {"question_id": removable.pk},
        "evaluations:question_move": on_evaluation | {"question_id": question.pk},
        "evaluations:response_edit": on_evaluation,
        "evaluations:answers": on_evaluation,
        "evaluations:section_edit": on_evaluation | {"section_id": section.pk},
        "evaluations:section_history": on_evaluation | {"section_id": section.pk},
        "evaluations:section_comment": on_evaluation | {"section_id": section.pk},
        "evaluations:approval": on_evaluation,
        "evaluations:indicators": on_evaluation,
        "evaluations:exports": on_evaluation,
        "evaluations:export_start": on_evaluation,
        "evaluations:export_status": on_evaluation | {"job_id": job.public_id},
        "evaluations:export_download": on_evaluation | {"job_id": job.public_id},
    }
