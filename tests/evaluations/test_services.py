"""Services of the evaluation against the database: the state machine, the
answers, the report with its optimistic locking, approvals, exports."""

import datetime
import os

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent
from evaluations import exports, services
from evaluations.models import Evaluation, ExportJob, Question, Response, SectionRevision
from evaluations.selectors import questionnaire_results

from ..factories.evaluations import pilot


@pytest.fixture
def evaluation(series, coordinator):
    return services.evaluation_open(actor=coordinator, series=series)


def _values(evaluation, **by_kind):
    defaults = {"scale": 4, "single": 1, "multiple": [0, 2], "text": "Garder le rituel."}
    return {q.pk: by_kind.get(q.kind, defaults[q.kind]) for q in evaluation.questions.all()}


def test_open_makes_the_default_questionnaire_and_sections_in_french(evaluation):
    assert evaluation.status == Evaluation.Status.COLLECTING and evaluation.version == 1
    assert [s.title for s in evaluation.sections.all()] == [
        "Contexte",
        "Déroulement",
        "Résultats",
        "Ce que les opérateurs en retiennent",
        "Recommandations",
        "Suite",
    ]
    kinds = {q.kind for q in evaluation.questions.all()}
    assert kinds == {"scale", "single", "multiple", "text"}
    assert AuditEvent.objects.filter(action="evaluation.open").count() == 1


def test_only_one_version_in_progress(evaluation, coordinator, series):
    with pytest.raises(ValidationError):
        services.evaluation_open(actor=coordinator, series=series)


def test_a_new_version_after_final_copies_and_leaves_the_final_one_alone(
    evaluation, coordinator, series, referent, operator
):
    services.response_save(
        actor=referent, evaluation=evaluation, operator=operator, values=_values(evaluation), version=0, submit=True
    )
    section = evaluation.sections.first()
    services.section_save(actor=coordinator, section=section, body="Texte final", version=0)
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="drafting")
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="final")
    second = services.evaluation_open(actor=coordinator, series=series)
    assert (second.version, second.status) == (2, Evaluation.Status.DRAFTING)
    assert second.sections.first().body == "Texte final"
    assert second.responses.get().answers.count() == evaluation.questions.count()
    services.section_save(actor=coordinator, section=second.sections.first(), body="Révisé", version=0)
    assert evaluation.sections.first().body == "Texte final"
    with pytest.raises(ValidationError):
        services.section_save(actor=coordinator, section=evaluation.sections.first(), body="x", version=1)


def test_answers_draft_then_submit_with_required_questions(evaluation, referent, operator):
    draft = services.response_save(
        actor=referent, evaluation=evaluation, operator=operator, values={}, version=0, submit=False
    )
    assert draft.status == Response.Status.DRAFT and draft.version == 1
    with pytest.raises(ValidationError) as exc:
        services.response_save(
            actor=referent, evaluation=evaluation, operator=operator, values={}, version=1, submit=True
        )
    assert len(exc.value.error_dict) == evaluation.questions.count()
    sent = services.response_save(
        actor=referent, evaluation=evaluation, operator=operator, values=_values(evaluation), version=1, submit=True
    )
    assert sent.status == Response.Status.SUBMITTED and sent.submitted_by == referent
    # A later save keeps it submitted, and cannot drop a required answer.
    with pytest.raises(ValidationError):
        services.response_save(
            actor=referent, evaluation=evaluation, operator=operator, values={}, version=2, submit=False
        )


def test_answers_refuse_out_of_range_values_and_stale_versions(evaluation, referent, operator):
    scale = evaluation.questions.filter(kind="scale").first()
    single = evaluation.questions.filter(kind="single").first()
    with pytest.raises(ValidationError) as exc:
        services.response_save(
            actor=referent,
            evaluation=evaluation,
            operator=operator,
            values={scale.pk: 9, single.pk: 7},
            version=0,
            submit=False,
        )
    assert set(exc.value.error_dict) == {f"q_{scale.pk}", f"q_{single.pk}"}
    assert not Response.objects.exists()
    services.response_save(actor=referent, evaluation=evaluation, operator=operator, values={}, version=0, submit=False)
    with pytest.raises(services.ResponseConflict):
        services.response_save(
            actor=referent, evaluation=evaluation, operator=operator, values={}, version=0, submit=False
        )


def test_answers_close_when_drafting_starts(evaluation, coordinator, referent, operator):
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="drafting")
    with pytest.raises(ValidationError):
        services.response_save(
            actor=referent, evaluation=evaluation, operator=operator, values={}, version=0, submit=False
        )


def test_state_machine_refuses_impossible_and_stale_moves(evaluation, coordinator):
    with pytest.raises(ValidationError):
        services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="final")
    stale = Evaluation.objects.get(pk=evaluation.pk)
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="drafting")
    with pytest.raises(ValidationError):
        services.evaluation_transition(actor=coordinator, evaluation=stale, to="drafting")


def test_section_conflict_keeps_both_texts(evaluation, coordinator, referent):
    section = evaluation.sections.first()
    services.section_save(actor=referent, section=section, body="Texte du référent", version=0)
    with pytest.raises(services.SectionConflict) as exc:
        services.section_save(actor=coordinator, section=section, body="Texte de la coordinatrice", version=0)
    assert exc.value.section.body == "Texte du référent"
    assert exc.value.yours == "Texte de la coordinatrice"
    assert exc.value.section.updated_by == referent
    services.section_save(actor=coordinator, section=section, body="Les deux textes", version=1)
    history = list(SectionRevision.objects.filter(section=section).values_list("number", "author__name", "body"))
    assert history == [(2, "Claire Dubois", "Les deux textes"), (1, "Isabelle Henrard", "Texte du référent")]
    evaluation.refresh_from_db()
    assert evaluation.report_version == 2


def test_an_edit_after_an_approval_makes_it_an_approval_of_an_earlier_text(evaluation, coordinator, referent, operator):
    with pytest.raises(ValidationError):
        services.approval_give(actor=referent, evaluation=evaluation, operator=operator)
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="drafting")
    approval = services.approval_give(actor=referent, evaluation=evaluation, operator=operator)
    assert approval.report_version == 0
    services.section_save(actor=coordinator, section=evaluation.sections.first(), body="Nouveau", version=0)
    evaluation.refresh_from_db()
    assert approval.report_version < evaluation.report_version
    services.approval_withdraw(actor=referent, evaluation=evaluation, operator=operator)
    assert not evaluation.approvals.exists()


def test_questions_keep_their_meaning_once_answered(evaluation, coordinator, referent, operator):
    single = evaluation.questions.filter(kind="single").first()
    services.response_save(
        actor=referent, evaluation=evaluation, operator=operator, values=_values(evaluation), version=0, submit=True
    )
    with pytest.raises(ValidationError):
        services.question_save(
            actor=coordinator, evaluation=evaluation, question=single, kind="text", prompt="Autre", options=[]
        )
    with pytest.raises(ValidationError):
        services.question_delete(actor=coordinator, question=single)
    with pytest.raises(ValidationError) as exc:
        services.question_save(actor=coordinator, evaluation=evaluation, kind="scale", prompt="Note", options=["a"])
    assert "options" in exc.value.error_dict
    added = services.question_save(
        actor=coordinator, evaluation=evaluation, kind="multiple", prompt="Lesquels ?", options=["A", "", "B"]
    )
    assert added.options == ["A", "B"] and added.position == evaluation.questions.count()
    services.question_move(actor=coordinator, question=added, up=True)
    added.refresh_from_db()
    assert added.position == evaluation.questions.count() - 1


def test_results_aggregate_submitted_answers_attributed_to_operators(series, operator, coordinator, referent):
    built = pilot(series, operator)
    evaluation = services.evaluation_open(actor=coordinator, series=series)
    scale = evaluation.questions.filter(kind="scale").first()
    services.response_save(
        actor=referent, evaluation=evaluation, operator=operator, values=_values(evaluation), version=0, submit=True
    )
    services.response_save(
        actor=built.other_referent,
        evaluation=evaluation,
        operator=built.other,
        values=_values(evaluation) | {scale.pk: 2},
        version=0,
        submit=False,  # a draft does not count
    )
    results = {r.question.pk: r for r in questionnaire_results(evaluation)}
    assert results[scale.pk].answered == 1 and results[scale.pk].mean == 4
    assert [c[2] for c in results[scale.pk].counts] == [0, 0, 0, 1, 0]
    multiple = evaluation.questions.get(kind=Question.Kind.MULTIPLE)
    assert [c[1] for c in results[multiple.pk].counts][:3] == [1, 0, 1]
    text = evaluation.questions.filter(kind="text").first()
    assert results[text.pk].texts == [("Canopée", "Garder le rituel.")]


def test_export_is_logged_built_once_and_removed_after_a_day(
    evaluation, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(actor=coordinator, evaluation=evaluation, format="xlsx")
    job.refresh_from_db()
    assert (job.status, job.progress) == (ExportJob.Status.DONE, 100)
    assert job.file.read().startswith(b"PK")
    assert exports.export_run(job_id=job.pk) == "skipped"
    assert AuditEvent.objects.filter(action="evaluation.export", actor=coordinator).exists()
    path = job.file.path
    assert exports.exports_purge(now=timezone.now()) == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        assert exports.exports_purge() == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not job.file
    assert not os.path.exists(path)


def test_an_unwritable_exports_folder_fails_the_job_with_its_reason(evaluation, coordinator, settings):
    # A file where the folder should be: the storage cannot write there, even as root.
    (settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "evaluation-exports").write_text("not a folder")
    job = ExportJob.objects.create(evaluation=evaluation, format="csv", requested_by=coordinator)
    assert exports.export_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.failure) == (ExportJob.Status.FAILED, ExportJob.Failure.STORAGE)
    assert job.error.startswith(("FileExistsError", "NotADirectoryError")) and job.finished_at


def test_a_file_gone_before_its_time_marks_the_job_removed(evaluation, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(actor=coordinator, evaluation=evaluation, format="csv")
    job.refresh_from_db()
    os.remove(job.file.path)
    assert exports.export_file_open(job=job) is None
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not job.file


def test_a_job_left_running_by_a_dead_worker_is_claimed_again(evaluation, coordinator):
    job = ExportJob.objects.create(
        evaluation=evaluation,
        format="csv",
        status="running",
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert exports.export_run(job_id=job.pk) == "done"


@pytest.mark.parametrize(("language", "sheet"), [("fr", "Séances"), ("en", "Sessions")])
def test_an_export_built_by_the_worker_reads_in_the_language_of_who_asked(
    evaluation, coordinator, language, sheet, django_capture_on_commit_callbacks
):
    coordinator.language = language
    coordinator.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(actor=coordinator, evaluation=evaluation, format="xlsx")
    job.refresh_from_db()
    book = load_workbook(job.file.path)
    assert book.sheetnames[0] == sheet
