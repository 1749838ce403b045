"""The minutes pages: who reads what, editing with conflicts, states, versions, print and PDF."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core.models import AuditEvent
from meetings.models import Attendance, InfoRoundEntry, Participation
from meetings.services import actions as action_services
from meetings.services import minutes as services

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory
from ..factories.minutes import held_session, published_session


def url(name, session):
    return reverse(f"meetings:{name}", kwargs={"session_id": session.public_id})


def items_of(session):
    return list(session.agenda_items.order_by("position"))


def edit_data(client, session) -> dict:
    """The edit form as the browser would send it back untouched."""
    form = client.get(url("minutes_edit", session)).context["form"]
    return {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}


# Reading ------------------------------------------------------------------------------------------


def test_participants_read_published_minutes_only(client, series, coordinator, member, other_member):
    draft_session, _ = held_session(series, coordinator)
    assert login(client, member).get(url("minutes_detail", draft_session)).status_code == 404
    session, _ = published_session(series, coordinator, notes="Pléiade rejoint le pilote.")
    page = client.get(url("minutes_detail", session)).content.decode()
    assert "Compte rendu de la séance du" in page and "Pléiade rejoint le pilote." in page
    assert "Approuver" not in page and "Modifier" not in page and "Télécharger en PDF" in page
    assert login(client, other_member).get(url("minutes_detail", session)).status_code == 404


def test_coordinators_see_every_state_with_its_buttons(client, series, coordinator):
    session, minutes = held_session(series, coordinator)
    page = login(client, coordinator).get(url("minutes_detail", session)).content.decode()
    assert 'data-minutes-status="draft"' in page and "Approuver" in page and "Modifier" in page
    services.minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=1)
    page = client.get(url("minutes_detail", session)).content.decode()
    assert "Publier" in page and "Remettre en brouillon" in page and "Approuvé le" in page
    assert "d-print-none" in page


def test_before_the_meeting_ends_coordinators_are_pointed_to_the_live_view(client, session, coordinator):
    page = login(client, coordinator).get(url("minutes_detail", session)).content.decode()
    assert "rédigé à la fin de la réunion" in page and url("session_live", session) in page


def test_the_session_page_links_to_the_minutes(client, series, coordinator, member):
    session, minutes = held_session(series, coordinator)
    page = login(client, coordinator).get(reverse("meetings:session_detail", args=[session.public_id])).content
    assert url("minutes_detail", session) in page.decode() and "Brouillon" in page.decode()
    page = login(client, member).get(reverse("meetings:session_detail", args=[session.public_id])).content.decode()
    assert url("minutes_detail", session) not in page
    services.minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=1)
    services.minutes_transition(actor=coordinator, minutes=minutes, to="published", version=2)
    page = client.get(reverse("meetings:session_detail", args=[session.public_id])).content.decode()
    assert url("minutes_detail", session) in page and "publié le" in page


def test_published_minutes_show_what_was_published(client, series, coordinator, operator):
    session, minutes = published_session(series, coordinator)
    # Recorded later elsewhere: the published text does not change.
    action_services.decision_record(actor=coordinator, session=session, text="Décidé après coup")
    page = login(client, coordinator).get(url("minutes_detail", session)).content.decode()
    assert "Décidé après coup" not in page


# Editing ------------------------------------------------------------------------------------------


def test_a_coordinator_edits_the_summary_and_the_notes(client, series, coordinator):
    session, minutes = held_session(series, coordinator)
    first = items_of(session)[0]
    login(client, coordinator)
    data = edit_data(client, session) | {"summary": "Bonne réunion.", f"notes_{first.pk}": "Accueil de Pléiade."}
    response = client.post(url("minutes_edit", session), data)
    assert response.status_code == 302
    minutes.refresh_from_db()
    first.refresh_from_db()
    assert (minutes.summary, first.notes) == ("Bonne réunion.", "Accueil de Pléiade.")
    assert minutes.revisions.count() == 2


def test_two_clients_saving_the_same_minutes_end_in_a_conflict_and_both_texts_survive(series, coordinator, admin_user):
    session, minutes = held_session(series, coordinator)
    first = items_of(session)[0]
    claire, alex = login(Client(), coordinator), login(Client(), admin_user)
    claire_form, alex_form = edit_data(claire, session), edit_data(alex, session)
    claire_form |= {"summary": "Résumé de Claire", f"notes_{first.pk}": "Notes de Claire"}
    alex_form |= {"summary": "Résumé d'Alex", f"notes_{first.pk}": "Notes d'Alex"}
    assert claire.post(url("minutes_edit", session), claire_form).status_code == 302
    response = alex.post(url("minutes_edit", session), alex_form)
    html = response.content.decode()
    assert response.status_code == 200 and "Conflit de modification" in html
    assert html.count("data-conflict>") == 2
    assert "Résumé de Claire" in html and "Résumé d&#x27;Alex" in html
    assert "Notes de Claire" in html and "Notes d&#x27;Alex" in html
    # Nothing of Claire's was overwritten; Alex's text is still in the form.
    minutes.refresh_from_db()
    first.refresh_from_db()
    assert (minutes.summary, first.notes) == ("Résumé de Claire", "Notes de Claire")
    form = response.context["form"]
    assert form["summary"].value() == "Résumé d'Alex"
    # Alex merges and saves again: now it goes through.
    merged = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    merged["summary"] = "Résumé de Claire et d'Alex"
    assert alex.post(url("minutes_edit", session), merged).status_code == 302
    minutes.refresh_from_db()
    first.refresh_from_db()
    assert (minutes.summary, first.notes) == ("Résumé de Claire et d'Alex", "Notes d'Alex")
    assert minutes.revisions.count() == 3


def test_a_field_only_the_other_person_changed_keeps_their_text(client, series, coordinator, admin_user):
    session, minutes = held_session(series, coordinator)
    first, second, _ = items_of(session)
    claire, alex = login(Client(), coordinator), login(Client(), admin_user)
    claire_form, alex_form = edit_data(claire, session), edit_data(alex, session)
    claire.post(url("minutes_edit", session), claire_form | {f"notes_{first.pk}": "Claire"})
    assert alex.post(url("minutes_edit", session), alex_form | {f"notes_{second.pk}": "Alex"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.notes, second.notes) == ("Claire", "Alex")


@pytest.mark.parametrize("field", ["summary", "notes"])
def test_hostile_minutes_input_is_a_field_error(client, series, coordinator, field):
    session, minutes = held_session(series, coordinator)
    first = items_of(session)[0]
    login(client, coordinator)
    name = "summary" if field == "summary" else f"notes_{first.pk}"
    response = client.post(url("minutes_edit", session), edit_data(client, session) | {name: "x" * 100_000})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.revisions.count() == 1


def test_missing_versions_are_a_form_error_not_a_crash(client, series, coordinator):
    session, _ = held_session(series, coordinator)
    response = login(client, coordinator).post(url("minutes_edit", session), {"summary": "x"})
    html = response.content.decode()
    assert response.status_code == 200 and "plus à jour" in html and html.count("plus à jour") == 1


def test_published_minutes_cannot_be_edited(client, series, coordinator):
    session, _ = published_session(series, coordinator)
    response = login(client, coordinator).get(url("minutes_edit", session), follow=True)
    assert "Seul un compte rendu en brouillon peut être modifié" in response.content.decode()


def test_participants_cannot_edit(client, series, coordinator, member):
    session, _ = published_session(series, coordinator)
    assert login(client, member).get(url("minutes_edit", session)).status_code == 403


# States -------------------------------------------------------------------------------------------


def test_approving_then_publishing_through_the_page(client, series, coordinator):
    session, minutes = held_session(series, coordinator)
    login(client, coordinator)
    client.post(url("minutes_transition", session), {"to": "approved", "version": 1})
    response = client.post(url("minutes_transition", session), {"to": "published", "version": 2}, follow=True)
    assert "Le compte rendu est publié" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == "published" and minutes.published_by == coordinator


def test_a_blind_or_impossible_transition_is_a_message(client, series, coordinator):
    session, minutes = held_session(series, coordinator)
    login(client, coordinator)
    response = client.post(url("minutes_transition", session), {"to": "published", "version": 1}, follow=True)
    assert "ne peut pas passer" in response.content.decode()
    response = client.post(url("minutes_transition", session), {"to": "nonsense", "version": "x"}, follow=True)
    assert "pas possible" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == "draft"


# Versions -----------------------------------------------------------------------------------------


def test_versions_are_listed_and_compared(client, series, coordinator):
    session, minutes = held_session(series, coordinator, notes="Ligne gardée\nLigne ôtée")
    first = items_of(session)[0]
    login(client, coordinator)
    client.post(
        url("minutes_edit", session),
        edit_data(client, session) | {f"notes_{first.pk}": "Ligne gardée\nLigne <b>ajoutée</b>"},
    )
    page = client.get(url("minutes_versions", session)).content.decode()
    assert "Claire Dubois" in page and "Brouillon" in page
    assert "<del" in page and "Ligne ôtée</del>" in page
    assert "Ligne &lt;b&gt;ajoutée&lt;/b&gt;</ins>" in page
    page = client.get(url("minutes_versions", session), {"a": 2, "b": 2}).content.decode()
    assert "disent la même chose" in page
    page = client.get(url("minutes_versions", session), {"a": 1, "b": 99}).content.decode()
    assert "Choisissez deux versions" in page


# Print and PDF ------------------------------------------------------------------------------------


def test_the_pdf_of_published_minutes_holds_attendance_notes_decisions_and_actions(
    client, series, coordinator, operator, member
):
    from ..factories.minutes import session_under_way

    live = session_under_way(series)
    services.attendance_record(actor=coordinator, session=live, operator=operator, status="present")
    services.attendance_record(actor=coordinator, session=live, operator=operator, user=member, status="present")
    services.agenda_item_notes_save(actor=coordinator, item=items_of(live)[1], notes="Deux lits libres.", version=0)
    action_services.decision_record(actor=coordinator, session=live, text="Tester la ligne commune.")
    action_services.action_record(
        actor=coordinator,
        session=live,
        description="Envoyer le bilan",
        owner_operator=operator,
        due_date=datetime.date(2099, 1, 15),
    )
    minutes = services.session_end(actor=coordinator, session=live)
    services.minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=1)
    services.minutes_transition(actor=coordinator, minutes=minutes, to="published", version=2)
    response = login(client, member).get(url("minutes_pdf", live))
    assert response["Content-Type"] == "application/pdf"
    assert "compte-rendu-" in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Compte rendu de la séance du",
        "Présences",
        "Canopée",
        "Olivier Marchal",
        "Deux lits libres.",
        "Tester la ligne commune.",
        "Envoyer le bilan",
        "15 janvier 2099",
    ):
        assert expected in text, expected
    assert AuditEvent.objects.filter(action="minutes.pdf", actor=member, object_id=str(minutes.pk)).exists()


def test_there_is_no_pdf_before_publishing(client, series, coordinator):
    session, _ = held_session(series, coordinator)
    assert login(client, coordinator).get(url("minutes_pdf", session)).status_code == 404


# Query counts -------------------------------------------------------------------------------------


def _fill(series, coordinator, count):
    session, minutes = held_session(series, coordinator, items=count)
    for n in range(count):
        op = OperatorFactory(name=f"Opérateur {n}")
        Participation.objects.create(series=series, operator=op, since=datetime.date(2020, 9, 1))
        person = MembershipFactory(operator=op).user
        Attendance.objects.create(session=session, operator=op, status="present")
        Attendance.objects.create(session=session, operator=op, user=person, status="present")
        action_services.decision_record(actor=coordinator, session=session, text=f"Décision {n}")
        action_services.action_record(actor=coordinator, session=session, description=f"Action {n}", owner_operator=op)
        InfoRoundEntry.objects.create(session=session, operator=op)
        minutes.refresh_from_db()
        services.minutes_save(
            actor=coordinator, minutes=minutes, summary=f"Résumé {n}", version=minutes.version, notes={}
        )
    return session, minutes


@pytest.mark.parametrize("count", [1, 6])
def test_minutes_page_query_count_is_fixed(client, series, coordinator, count, django_assert_num_queries):
    session, _ = _fill(series, coordinator, count)
    login(client, coordinator)
    client.get(url("minutes_detail", session))
    with django_assert_num_queries(QUERIES_MINUTES):
        client.get(url("minutes_detail", session))


@pytest.mark.parametrize("count", [1, 6])
def test_published_minutes_page_query_count_is_fixed(
    client, series, coordinator, member, count, django_assert_num_queries
):
    session, minutes = _fill(series, coordinator, count)
    minutes.refresh_from_db()
    minutes = services.minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=minutes.version)
    services.minutes_transition(actor=coordinator, minutes=minutes, to="published", version=minutes.version)
    login(client, member)
    client.get(url("minutes_detail", session))
    with django_assert_num_queries(QUERIES_PUBLISHED):
        client.get(url("minutes_detail", session))


@pytest.mark.parametrize("count", [1, 6])
def test_versions_page_query_count_is_fixed(client, series, coordinator, count, django_assert_num_queries):
    session, _ = _fill(series, coordinator, count)
    login(client, coordinator)
    client.get(url("minutes_versions", session))
    with django_assert_num_queries(QUERIES_VERSIONS):
        client.get(url("minutes_versions", session))


QUERIES_MINUTES = 16  # draft minutes are computed: +1 for the needs, +1 for their changes of stage
# One more than before individual participants: the series a person takes part in their own name.
QUERIES_PUBLISHED = 10
QUERIES_VERSIONS = 9


# Nothing typed is lost ---------------------------------------------------------------------------


def test_text_typed_while_the_minutes_were_approved_comes_back_to_copy(client, series, coordinator):
    session, minutes = held_session(series, coordinator)
    first = items_of(session)[0]
    login(client, coordinator)
    data = edit_data(client, session) | {"summary": "Mon résumé de la réunion.", f"notes_{first.pk}": "Mes notes."}
    services.minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=minutes.version)
    response = client.post(url("minutes_edit", session), data)
    assert response.status_code == 409
    body = response.content.decode()
    summary = body.index("data-error-summary")
    assert "Rien n'a été enregistré." in body[summary:]
    assert "Seul un compte rendu en brouillon peut être modifié" in body[summary:]
    assert ">Mon résumé de la réunion.</textarea>" in body and ">Mes notes.</textarea>" in body
    assert "data-copy-refused" in body and '<form method="post" novalidate>' not in body
    minutes.refresh_from_db()
    assert minutes.summary != "Mon résumé de la réunion."


# The needs of the session ------------------------------------------------------------------------


def test_the_minutes_list_the_needs_raised_and_their_changes_of_stage(client, series, coordinator, operator, member):
    from meetings.services import needs as need_services

    from ..factories.minutes import session_under_way

    earlier, _ = held_session(series, coordinator)
    followed = need_services.need_raise(
        actor=coordinator, series=series, operator=operator, title="Lits de crise en pédiatrie", session=earlier
    )
    live = session_under_way(series)
    login(client, coordinator).post(
        url("live_need_add", live),
        {"need-title": "Relais vers le logement", "need-raised_by": operator.pk, "need-themes": "logement"},
    )
    need_services.need_mention(actor=coordinator, need=followed, session=live)
    minutes = services.session_end(actor=coordinator, session=live)
    draft = client.get(url("minutes_detail", live)).content.decode()
    for page in (draft,):
        assert "Besoins de coopération" in page
        assert "Soulevés lors de cette séance" in page and "Relais vers le logement" in page
        assert "Évoqués lors de cette séance" in page and "Lits de crise en pédiatrie" in page
        assert "Lits de crise en pédiatrie : de « Émergent » à « Stabilisé »" in page
    services.minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=1)
    services.minutes_transition(actor=coordinator, minutes=minutes, to="published", version=2)
    published = login(client, member).get(url("minutes_detail", live)).content.decode()
    assert "Relais vers le logement" in published and "de « Émergent » à « Stabilisé »" in published
    response = client.get(url("minutes_pdf", live))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Relais vers le logement" in text and "Lits de crise en pédiatrie" in text
    assert "de « Émergent » à « Stabilisé »" in text
