"""The pages of the agenda template and of one session's agenda."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaTemplate, Series
from meetings.services import agenda as services

from ..conftest import login
from ..factories import SessionFactory

pytestmark = pytest.mark.django_db


def _url(name, **kwargs):
    return reverse(f"meetings:{name}", kwargs=kwargs)


def _future_session(series, days=10, minutes=60):
    start = timezone.now() + dt.timedelta(days=days)
    session = SessionFactory(series=series, starts_at=start, ends_at=start + dt.timedelta(minutes=minutes))
    services.agenda_apply(sessions=[session], template=services.agenda_template_ensure(series=series))
    return session


def _text(response) -> str:
    return response.content.decode()


def test_participants_read_the_template_page(client, series, member):
    services.agenda_template_ensure(series=series)
    response = login(client, member).get(_url("agenda_template", series_id=series.public_id))
    body = _text(response)
    assert response.status_code == 200
    assert "Conduite de réunion" in body and "Version actuelle : 1" in body
    assert "Tour de table des opérateurs" in body and "Capacité, disponibilités et délais" in body
    assert "500 caractères au plus" in body
    assert "Préparer une nouvelle version" not in body


def test_the_template_page_gives_an_older_series_its_v1(client, series, coordinator):
    assert not series.agenda_templates.exists()
    response = login(client, coordinator).get(_url("agenda_template", series_id=series.public_id))
    assert "Ouverture et tour des présences" in _text(response)
    assert series.agenda_templates.get().version == 1


def test_a_coordinator_prepares_edits_and_publishes_a_version(client, series, coordinator):
    services.agenda_template_ensure(series=series)
    to_come = _future_session(series)
    login(client, coordinator)
    response = client.post(_url("agenda_template_prepare", series_id=series.public_id))
    draft_url = _url("agenda_draft", series_id=series.public_id)
    assert response.status_code == 302 and response["Location"] == draft_url
    draft = series.agenda_templates.get(status=AgendaTemplate.Status.DRAFT)
    assert "Préparer la version 2" in _text(client.get(draft_url))

    response = client.post(
        _url("agenda_draft_item_add", series_id=series.public_id),
        {"title": "Situations cliniques", "kind": "clinical", "timebox": "20", "presenter_role": "concerned"},
    )
    assert response.status_code == 302
    added = draft.items.get(title="Situations cliniques")
    client.post(_url("agenda_draft_item_move", series_id=series.public_id, pk=added.pk), {"direction": "up"})
    added.refresh_from_db()
    assert added.position == 6
    divers = draft.items.get(title="Divers")
    client.post(
        _url("agenda_draft_item_edit", series_id=series.public_id, pk=divers.pk),
        {"title": "Divers", "kind": "other_business", "timebox": "5", "presenter_role": ""},
    )
    client.post(_url("agenda_draft_item_delete", series_id=series.public_id, pk=draft.items.get(position=1).pk))
    question = draft.questions.get(position=5)
    client.post(
        _url("agenda_draft_question_edit", series_id=series.public_id, pk=question.pk),
        {"prompt": "À partager", "help_text": "", "kind": "to_share", "max_length": "300", "required": "on"},
    )
    question.refresh_from_db()
    assert (question.prompt, question.max_length, question.required) == ("À partager", 300, True)

    page = _text(client.get(draft_url))
    assert "Point ajouté : « Situations cliniques » (20 min)" in page
    assert "Point retiré : « Ouverture et tour des présences »" in page
    assert "longueur maximale 500 → 300 caractères" in page
    assert "1 séance à venir" in page

    response = client.post(draft_url, {"change_note": "On ajoute les situations cliniques."}, follow=True)
    body = _text(response)
    assert "La version 2 est publiée. 1 séance à venir la suit désormais." in body
    assert "On ajoute les situations cliniques." in body and "Version actuelle : 2" in body
    to_come.refresh_from_db()
    assert to_come.agenda_template_id == draft.pk
    session_page = _text(client.get(_url("session_detail", session_id=to_come.public_id)))
    assert "Situations cliniques" in session_page and "Ouverture et tour des présences" not in session_page


def test_publishing_without_a_note_shows_an_error(client, series, coordinator):
    services.agenda_template_prepare(actor=coordinator, series=series)
    response = login(client, coordinator).post(_url("agenda_draft", series_id=series.public_id), {"change_note": ""})
    assert response.status_code == 200 and "change_note" in response.context["form"].errors
    assert series.agenda_templates.filter(status="draft").exists()


def test_discarding_the_draft(client, series, coordinator):
    services.agenda_template_prepare(actor=coordinator, series=series)
    login(client, coordinator).post(_url("agenda_draft_discard", series_id=series.public_id))
    assert not series.agenda_templates.filter(status="draft").exists()
    assert client.get(_url("agenda_draft", series_id=series.public_id)).status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"timebox": "0"}, "timebox"),
        ({"timebox": "241"}, "timebox"),
        ({"timebox": "douze"}, "timebox"),
        ({"title": ""}, "title"),
        ({"title": "x" * 100_000}, "title"),
        ({"kind": "fête"}, "kind"),
        ({"presenter_role": "roi"}, "presenter_role"),
    ],
)
def test_bad_draft_items_give_field_errors(client, series, coordinator, data, field):
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    base = {"title": "Point", "kind": "other", "timebox": "10", "presenter_role": ""}
    response = login(client, coordinator).post(_url("agenda_draft_item_add", series_id=series.public_id), base | data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert draft.items.count() == 6


def test_a_question_length_limit_out_of_range_is_refused_in_french(client, series, coordinator):
    services.agenda_template_prepare(actor=coordinator, series=series)
    response = login(client, coordinator).post(
        _url("agenda_draft_question_add", series_id=series.public_id),
        {"prompt": "Q", "kind": "other", "max_length": "3000"},
    )
    assert "inférieure ou égale à 2000" in str(response.context["form"].errors["max_length"])


def test_rows_of_another_series_or_a_published_version_are_404(client, series, coordinator):
    v1 = services.agenda_template_ensure(series=series)
    services.agenda_template_prepare(actor=coordinator, series=series)
    other = Series.objects.create(name="Autre")
    other.coordinators.add(coordinator)
    fresh = type(coordinator).objects.get(pk=coordinator.pk)  # the coordinated series are cached per object
    foreign = services.agenda_template_prepare(actor=fresh, series=other)
    login(client, coordinator)
    for pk in (v1.items.first().pk, foreign.items.first().pk):
        assert client.get(_url("agenda_draft_item_edit", series_id=series.public_id, pk=pk)).status_code == 404
        response = client.post(_url("agenda_draft_item_delete", series_id=series.public_id, pk=pk))
        assert response.status_code == 404
    assert v1.items.count() == 6 and foreign.items.count() == 6


@pytest.mark.parametrize("versions", [1, 6])
def test_template_page_query_count_is_fixed(client, series, coordinator, versions, django_assert_num_queries):
    services.agenda_template_ensure(series=series)
    for n in range(versions - 1):
        draft = services.agenda_template_prepare(actor=coordinator, series=series)
        services.template_item_add(actor=coordinator, template=draft, title=f"Point {n}", kind="other", timebox=5)
        services.agenda_template_publish(actor=coordinator, template=draft, change_note=f"v{n + 2}")
    login(client, coordinator)
    url = _url("agenda_template", series_id=series.public_id)
    # session, user, savepoint pair, series, coordinated series, templates, items, questions, draft,
    # coordinator group (menu)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["history"]) == versions


# --- one session's agenda ----------------------------------------------------------------


def test_the_session_page_shows_the_agenda_and_warns_on_overrun(client, series, member):
    session = _future_session(series, minutes=45)
    body = _text(login(client, member).get(_url("session_detail", session_id=session.public_id)))
    assert "Ordre du jour" in body and "Tour de table des opérateurs" in body
    assert "Chaque opérateur à son tour" in body
    assert "sur une séance de 45 minutes" in body
    assert "Les durées prévues dépassent la durée de la séance de 15 minutes." in body
    assert "Modifier l&#x27;ordre du jour" not in body


def test_a_coordinator_changes_one_session_agenda(client, series, coordinator, operator):
    session = _future_session(series)
    later = _future_session(series, days=17)
    login(client, coordinator)
    response = client.post(
        _url("session_agenda_item_add", session_id=session.public_id),
        {"title": "<script>alert(1)</script>", "kind": "other", "timebox": "5", "presenter_operator": operator.pk},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.agenda_customised
    item = session.agenda_items.get(position=7)
    assert item.presenter_operator == operator
    page = _text(client.get(_url("session_agenda_edit", session_id=session.public_id)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    client.post(_url("session_agenda_item_move", session_id=session.public_id, pk=item.pk), {"direction": "up"})
    item.refresh_from_db()
    assert item.position == 6
    divers = session.agenda_items.get(title="Divers")
    client.post(_url("session_agenda_item_delete", session_id=session.public_id, pk=divers.pk))
    assert not session.agenda_items.filter(title="Divers").exists()
    assert later.agenda_items.filter(title="Divers").exists()
    # A new version no longer replaces it.
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    report = services.agenda_template_publish(actor=coordinator, template=draft, change_note="v2")
    assert [s.pk for s in report.kept] == [session.pk]


def test_a_session_item_of_another_session_is_404(client, series, coordinator):
    session, other = _future_session(series), _future_session(series, days=17)
    item = other.agenda_items.first()
    login(client, coordinator)
    url = _url("session_agenda_item_edit", session_id=session.public_id, pk=item.pk)
    assert client.get(url).status_code == 404
    assert client.post(_url("session_agenda_item_delete", session_id=session.public_id, pk=item.pk)).status_code == 404
    assert other.agenda_items.filter(pk=item.pk).exists()


def test_presenting_operator_of_another_series_is_refused(client, series, coordinator, other_operator):
    session = _future_session(series)
    response = login(client, coordinator).post(
        _url("session_agenda_item_add", session_id=session.public_id),
        {"title": "x", "kind": "other", "timebox": "5", "presenter_operator": other_operator.pk},
    )
    assert "presenter_operator" in response.context["form"].errors
    assert session.agenda_items.count() == 6


def test_the_series_page_links_to_the_ritual(client, series, coordinator):
    session = _future_session(series, days=3)
    body = _text(login(client, coordinator).get(_url("series_detail", series_id=series.public_id)))
    assert _url("agenda_template", series_id=series.public_id) in body
    assert _url("inforound_board", session_id=session.public_id) in body
    assert _url("inforound_compiled", session_id=session.public_id) in body
