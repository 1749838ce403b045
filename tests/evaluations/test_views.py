"""Every page of the evaluation: what it shows and does, hostile input,
exports for admins and the series' coordinators only, a fixed number of
queries whatever the number of operators and sessions."""

import datetime
import html
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from evaluations import services
from evaluations.models import Evaluation, ExportJob, Response

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory
from ..factories.evaluations import pilot


@pytest.fixture
def evaluation(series, coordinator):
    return services.evaluation_open(actor=coordinator, series=series)


def _url(name, evaluation, **kwargs):
    return reverse(f"evaluations:{name}", kwargs={"evaluation_id": evaluation.public_id, **kwargs})


def _answers(evaluation, **override):
    data = {"version": 0}
    for q in evaluation.questions.all():
        data[f"q_{q.pk}"] = {"scale": "4", "single": "1", "multiple": ["0", "2"], "text": "Garder le rituel."}[q.kind]
    return data | override


def test_a_coordinator_opens_the_evaluation_of_a_series(client, series, coordinator):
    login(client, coordinator)
    start = reverse("evaluations:series_evaluation", kwargs={"series_id": series.public_id})
    assert "Ouvrir l'évaluation" in client.get(start).content.decode()
    day = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        reverse("evaluations:evaluation_open", kwargs={"series_id": series.public_id}), {"answer_deadline": day}
    )
    evaluation = Evaluation.objects.get()
    assert response.url == _url("evaluation_detail", evaluation)
    assert client.get(start).url == _url("evaluation_detail", evaluation)
    assert evaluation.answer_deadline.date().isoformat() == day


def test_opening_with_a_past_deadline_is_a_field_error(client, series, coordinator):
    login(client, coordinator)
    response = client.post(
        reverse("evaluations:evaluation_open", kwargs={"series_id": series.public_id}),
        {"answer_deadline": "2001-01-01"},
    )
    assert response.status_code == 200 and "Choisissez un jour après aujourd" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_participant_sees_the_report_and_who_answered(client, evaluation, member, referent, operator):
    services.response_save(actor=referent, evaluation=evaluation, operator=operator, values={}, version=0, submit=False)
    page = login(client, member).get(_url("evaluation_detail", evaluation)).content.decode()
    assert "Contexte" in page and "Suite" in page
    assert "Brouillon" in page
    assert "Répondre au questionnaire" not in page  # members do not answer for their operator
    assert "Modifier « Contexte »" not in page


def test_a_referent_saves_a_draft_then_sends_the_answers(client, evaluation, referent, operator):
    login(client, referent)
    url = _url("response_edit", evaluation)
    page = client.get(url).content.decode()
    assert "Les réponses de Canopée" in page and "Pas du tout" in page
    client.post(url, _answers(evaluation) | {"draft": "1"})
    response = Response.objects.get()
    assert response.status == "draft" and response.answers.count() == evaluation.questions.count()
    client.post(url, _answers(evaluation, version=1) | {"submit": "1"})
    response.refresh_from_db()
    assert response.status == "submitted" and response.submitted_by == referent
    page = client.get(_url("evaluation_detail", evaluation)).content.decode()
    assert "Répondu" in page


@pytest.mark.parametrize(
    "hostile",
    [
        {"q_SCALE": "9"},
        {"q_SCALE": "<script>alert(1)</script>"},
        {"q_TEXT": "x" * 100_000},
        {"q_MULTIPLE": ["0", "99"]},
        {"version": "abc"},
    ],
)
def test_hostile_answers_are_field_errors_and_nothing_is_saved(client, evaluation, referent, hostile):
    ids = {q.kind.upper(): q.pk for q in evaluation.questions.order_by("-position")}
    data = _answers(evaluation) | {"submit": "1"}
    for key, value in hostile.items():
        data[f"q_{ids[key[2:]]}" if key.startswith("q_") else key] = value
    response = login(client, referent).post(_url("response_edit", evaluation), data)
    assert response.status_code == 200
    assert "Rien n'a été enregistré." in response.content.decode()
    assert not Response.objects.exists()


def test_another_operator_id_in_the_query_is_404(client, evaluation, referent, other_operator):
    response = login(client, referent).get(_url("response_edit", evaluation) + f"?operator={other_operator.pk}")
    assert response.status_code == 404


def test_section_conflict_shows_both_texts_and_keeps_yours(client, evaluation, coordinator, referent):
    section = evaluation.sections.first()
    url = _url("section_edit", evaluation, section_id=section.pk)
    login(client, referent).post(url, {"body": "Texte du référent", "version": 0})
    response = login(client, coordinator).post(url, {"body": "Texte de la coordinatrice", "version": 0})
    page = response.content.decode()
    assert "Conflit de modification" in page
    assert "Texte du référent" in page and "Texte de la coordinatrice" in page
    assert 'name="version" value="1"' in page
    section.refresh_from_db()
    assert section.body == "Texte du référent"
    client.post(url, {"body": "Texte fusionné", "version": 1})
    section.refresh_from_db()
    assert section.body == "Texte fusionné" and section.version == 2
    history = client.get(_url("section_history", evaluation, section_id=section.pk)).content.decode()
    assert "Version 1, par Isabelle Henrard" in history and "Version 2, par Claire Dubois" in history


def test_a_section_too_long_is_a_field_error(client, evaluation, coordinator):
    section = evaluation.sections.first()
    response = login(client, coordinator).post(
        _url("section_edit", evaluation, section_id=section.pk), {"body": "x" * 30_001, "version": 0}
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    section.refresh_from_db()
    assert section.body == ""


def test_comments_appear_under_their_section(client, evaluation, referent):
    section = evaluation.sections.first()
    login(client, referent).post(_url("section_comment", evaluation, section_id=section.pk), {"body": "À compléter"})
    page = client.get(_url("evaluation_detail", evaluation)).content.decode()
    assert "À compléter" in page and "Isabelle Henrard" in page
    client.post(_url("section_comment", evaluation, section_id=section.pk), {"body": ""})
    assert section.comments.count() == 1


def test_referent_approves_and_the_coordinator_finalises(client, evaluation, coordinator, referent, operator):
    login(client, coordinator).post(_url("evaluation_transition", evaluation), {"to": "drafting"})
    login(client, referent).post(_url("approval", evaluation), {"operator": operator.pk})
    page = client.get(_url("evaluation_detail", evaluation)).content.decode()
    assert "Validé" in page and "Canopée a validé le" in page
    login(client, coordinator).post(_url("evaluation_transition", evaluation), {"to": "final"})
    evaluation.refresh_from_db()
    assert evaluation.status == "final" and evaluation.snapshot["indicators"]["sessions"]
    response = client.get(_url("section_edit", evaluation, section_id=evaluation.sections.first().pk))
    assert response.status_code == 302


def test_approving_for_another_operator_is_refused(client, evaluation, coordinator, referent, other_operator):
    login(client, coordinator).post(_url("evaluation_transition", evaluation), {"to": "drafting"})
    login(client, referent).post(_url("approval", evaluation), {"operator": other_operator.pk})
    assert not evaluation.approvals.exists()


def test_coordinator_builds_the_questionnaire(client, evaluation, coordinator):
    login(client, coordinator)
    url = _url("questionnaire", evaluation)
    client.post(url, {"kind": "single", "prompt": "Recommanderiez-vous ?", "options": "Oui\nNon", "required": "on"})
    question = evaluation.questions.order_by("-position").first()
    assert question.prompt == "Recommanderiez-vous ?" and question.options == ["Oui", "Non"]
    response = client.post(url, {"kind": "scale", "prompt": "Note", "options": "un\ndeux"})
    assert "exactement cinq libellés" in response.content.decode()
    client.post(
        _url("question_edit", evaluation, question_id=question.pk),
        {"kind": "single", "prompt": "Recommanderiez-vous Carrefour ?", "options": "Oui\nNon"},
    )
    question.refresh_from_db()
    assert question.prompt == "Recommanderiez-vous Carrefour ?" and not question.required
    client.post(_url("question_delete", evaluation, question_id=question.pk))
    assert not evaluation.questions.filter(pk=question.pk).exists()
    day = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    client.post(_url("evaluation_deadline", evaluation), {"answer_deadline": day})
    evaluation.refresh_from_db()
    assert evaluation.answer_deadline.date().isoformat() == day


def test_answers_page_aggregates_and_attributes_to_operators(client, evaluation, referent, member, operator):
    login(client, referent).post(_url("response_edit", evaluation), _answers(evaluation) | {"submit": "1"})
    page = login(client, member).get(_url("answers", evaluation)).content.decode()
    assert "1 opérateur a répondu · moyenne 4 / 5" in page
    assert "Garder le rituel." in page and "Canopée" in page


def test_indicators_page_has_charts_with_text_alternatives_and_tables(client, series, operator, evaluation, member):
    pilot(series, operator)
    page = login(client, member).get(_url("indicators", evaluation)).content.decode()
    assert (
        page.count('src="data:image/svg+xml;base64,') == 5
    )  # attendance, info rounds, needs, capacity share, weeks saturated
    assert "Taux de présence par semaine, 3 semaines" in page
    assert "Tours de table remplis par opérateur" in page and '<th scope="col">Semaine du</th>' in page
    assert "Logement" in page
    # Numbers and dates as French writes them.
    assert "Période d'expérimentation : 1 septembre 2020 – 30 novembre 2020" in page.replace("&#x27;", "'")
    assert "8 septembre 2020" in page  # a week of the attendance chart's table
    assert "7 jours" in page and "7.0" not in page and "2020-09-08" not in page


def test_exports_are_logged_prepared_and_downloaded(
    client, evaluation, coordinator, django_capture_on_commit_callbacks
):
    login(client, coordinator)
    client.get(_url("exports", evaluation))
    assert AuditEvent.objects.filter(action="evaluation.exports_view", actor=coordinator).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("export_start", evaluation), {"format": "pdf"})
    job = ExportJob.objects.get()
    assert job.status == "done" and job.requested_by == coordinator
    row = client.get(_url("export_status", evaluation, job_id=job.public_id)).content.decode()
    assert "Télécharger le PDF" in row and "hx-get" not in row
    response = client.get(_url("export_download", evaluation, job_id=job.public_id))
    assert response["Content-Disposition"].startswith('attachment; filename="evaluation-v1.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="evaluation.export_download").count() == 1
    client.post(_url("export_start", evaluation), {"format": "exe"})
    assert ExportJob.objects.count() == 1


def test_a_pending_export_shows_its_progress(client, evaluation, coordinator):
    job = ExportJob.objects.create(evaluation=evaluation, format="docx", status="running", progress=40)
    row = login(client, coordinator).get(_url("export_status", evaluation, job_id=job.public_id)).content.decode()
    assert 'value="40"' in row and "hx-get" in row
    assert client.get(_url("export_download", evaluation, job_id=job.public_id)).status_code == 404


def test_an_export_whose_file_is_gone_says_so_and_offers_to_prepare_it_again(
    client, evaluation, coordinator, django_capture_on_commit_callbacks
):
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("export_start", evaluation), {"format": "docx"})
    job = ExportJob.objects.get()
    os.remove(job.file.path)
    response = client.get(_url("export_download", evaluation, job_id=job.public_id))
    assert response.status_code == 410
    page = html.unescape(response.content.decode())
    assert "Cet export n'est plus disponible" in page
    assert f'action="{_url("export_start", evaluation)}"' in page
    assert 'name="format" value="docx"' in page and "Préparer à nouveau le DOCX" in page
    assert not AuditEvent.objects.filter(action="evaluation.export_download").exists()
    row = client.get(_url("export_status", evaluation, job_id=job.public_id)).content.decode()
    assert 'data-status="expired"' in row and "Supprimé" in row
    # Once marked removed (as the purge does), the same page.
    again = client.get(_url("export_download", evaluation, job_id=job.public_id))
    assert again.status_code == 410 and "Cet export n'est plus disponible" in html.unescape(again.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("export_start", evaluation), {"format": "docx"})
    assert ExportJob.objects.filter(status="done", format="docx").count() == 1


def test_an_unwritable_exports_folder_shows_why_to_the_person_and_in_the_admin_log(
    client, evaluation, coordinator, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "evaluation-exports").write_text("not a folder")
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("export_start", evaluation), {"format": "xlsx"})
    job = ExportJob.objects.get()
    assert job.status == "failed"
    page = html.unescape(client.get(_url("exports", evaluation)).content.decode())
    reason = (
        "Le fichier n'a pas pu être enregistré : le dossier des exports du serveur n'est pas accessible en écriture."
    )
    assert reason in page and "prévenez un administrateur" in page
    log = login(client, admin_user).get(reverse("admin:evaluations_exportjob_changelist") + "?status__exact=failed")
    log = html.unescape(log.content.decode())
    assert reason in log and job.error.split(":")[0] in log


def test_operator_members_and_outsiders_get_no_export(client, evaluation, member, outsider, referent):
    for user, status in ((member, 403), (referent, 403), (outsider, 404)):
        assert login(client, user).get(_url("exports", evaluation)).status_code == status
        assert login(client, user).post(_url("export_start", evaluation), {"format": "pdf"}).status_code == status


def _grow(series, operator, n_operators, n_sessions):
    built = pilot(series, operator)
    for _i in range(n_operators):
        op = OperatorFactory(territory=operator.territory)
        MembershipFactory(operator=op, role="referent")
        series.participations.create(operator=op, since=datetime.date(2020, 9, 1))
    from meetings.models import Session

    for week in range(n_sessions):
        start = datetime.datetime(2020, 10, 1, 12, tzinfo=datetime.UTC) + datetime.timedelta(weeks=week)
        Session.objects.create(
            series=series, starts_at=start, ends_at=start + datetime.timedelta(hours=1), status="held"
        )
    return built


@pytest.mark.parametrize("name", ["evaluation_detail", "answers"])
def test_pages_run_a_fixed_number_of_queries(client, series, operator, coordinator, referent, name):
    """As many queries with 1 operator and 6 (answers, comments, sessions), the
    cached page's fragment read (cold, after a write) or served (warm)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    evaluation = services.evaluation_open(actor=coordinator, series=series)
    login(client, referent)
    url = _url(name, evaluation)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count(), count()
    _grow(series, operator, 5, 8)
    for op in series.participations.values_list("operator", flat=True):
        Response.objects.create(evaluation=evaluation, operator_id=op)
    services.section_comment_add(actor=referent, section=evaluation.sections.first(), body="Un commentaire")
    big = count(), count()
    assert big == small
    if name == "evaluation_detail":
        assert small[1] < small[0]  # the warm page reads none of the overview


def test_indicators_page_runs_a_fixed_number_of_queries(client, series, operator, coordinator, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    evaluation = services.evaluation_open(actor=coordinator, series=series)
    pilot(series, operator)
    login(client, member)
    url = _url("indicators", evaluation)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow_more = OperatorFactory(territory=operator.territory)
    series.participations.create(operator=_grow_more, since=datetime.date(2020, 9, 1))
    client.get(url)  # the participations read again once (the write dropped them from the cache), as above
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big) == len(small)


def test_a_section_typed_while_the_report_became_final_comes_back(client, evaluation, coordinator, referent):
    section = evaluation.sections.first()
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.FINAL, finalised_at=timezone.now())
    response = login(client, referent).post(
        _url("section_edit", evaluation, section_id=section.pk), {"body": "Notre bilan du pilote.", "version": 0}
    )
    assert response.status_code == 409
    body = response.content.decode()
    summary = body.index("data-error-summary")
    assert (
        "Rien n'a été enregistré." in body[summary:]
        and "Le rapport est finalisé : il ne peut plus changer." in body[summary:]
    )
    assert ">Notre bilan du pilote.</textarea>" in body and "data-copy-refused" in body
    section.refresh_from_db()
    assert section.body != "Notre bilan du pilote."


def test_answers_typed_while_the_questionnaire_closed_come_back_to_copy(client, evaluation, referent):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.DRAFTING)
    response = login(client, referent).post(_url("response_edit", evaluation), _answers(evaluation) | {"submit": "1"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "data-error-summary" in body and "Rien n'a été enregistré." in body
    assert ">Garder le rituel.</textarea>" in body and "data-copy-refused" in body
    assert not Response.objects.exists()


def test_a_comment_refused_after_the_report_became_final_comes_back(client, evaluation, referent):
    section = evaluation.sections.first()
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.FINAL, finalised_at=timezone.now())
    response = login(client, referent).post(
        _url("section_comment", evaluation, section_id=section.pk), {"body": "Nous ajouterions les délais."}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Le rapport est finalisé : il ne peut plus changer." in body[body.index("data-error-summary") :]
    assert ">Nous ajouterions les délais.</textarea>" in body
    assert not section.comments.exists()


def test_an_empty_comment_is_refused_on_the_report_page(client, evaluation, referent):
    section = evaluation.sections.first()
    response = login(client, referent).post(_url("section_comment", evaluation, section_id=section.pk), {"body": ""})
    assert response.status_code == 302 and not section.comments.exists()
