"""The live-session pages: what the coordinator sees and what each htmx call answers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Action, Attendance, CooperationNeed, Decision, InfoRoundEntry, Participation, Session

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory
from ..factories.minutes import session_under_way

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def live(series):
    return session_under_way(series)


def url(name, session, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"session_id": session.public_id, **kwargs})


def items_of(session):
    return list(session.agenda_items.order_by("position"))


def test_the_live_page_shows_the_agenda_attendance_and_forms(client, live, coordinator, operator, member):
    InfoRoundEntry.objects.create(
        session=live, operator=operator, status="submitted", submitted_at=timezone.now(), nothing_new=True
    )
    first = items_of(live)[0]
    live.current_item = first
    live.save()
    first.started_at = timezone.now() - datetime.timedelta(minutes=7)
    first.save()
    page = login(client, coordinator).get(url("session_live", live)).content.decode()
    assert "Réunion en direct" in page
    assert f'data-live-timer data-item="{first.pk}"' in page and 'data-timebox="5"' in page
    assert f'id="inforound-op-{operator.pk}"' in page  # the compiled info round
    assert 'aria-current="step"' in page
    assert "Olivier Marchal" in page and "Présence : Canopée" in page
    assert "Ajouter la décision" in page and "Ajouter l’action" in page or "Ajouter l'action" in page
    assert "Terminer la réunion" in page
    assert "js/live.js" in page and "<script>" not in page


def test_a_session_not_started_cannot_be_ended_from_the_page(client, session, coordinator):
    page = login(client, coordinator).get(url("session_live", session)).content.decode()
    assert "Terminer la réunion</button>" not in page


def test_a_held_session_points_to_its_minutes(client, live, coordinator):
    Session.objects.filter(pk=live.pk).update(status="held")
    page = login(client, coordinator).get(url("session_live", live)).content.decode()
    assert url("minutes_detail", live) in page and "Ajouter la décision" not in page


def test_participants_cannot_run_the_meeting(client, live, member, other_member):
    assert login(client, member).get(url("session_live", live)).status_code == 403
    assert login(client, other_member).get(url("session_live", live)).status_code == 404


# Agenda ------------------------------------------------------------------------------------------


def test_start_and_next_answer_the_agenda_partial(client, live, coordinator):
    first, second, _ = items_of(live)
    login(client, coordinator)
    response = client.post(url("live_item_start", live, item_id=first.pk), **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="live-agenda"') and "data-live-timer" in html
    response = client.post(url("live_next_item", live), {"current": first.pk}, **HTMX)
    live.refresh_from_db()
    assert live.current_item == second
    # Without JavaScript the forms post and come back.
    response = client.post(url("live_next_item", live), {"current": second.pk})
    assert response.status_code == 302 and response["Location"] == url("session_live", live)


def test_an_item_of_another_session_is_404(client, live, series, coordinator):
    other = session_under_way(series)
    response = login(client, coordinator).post(url("live_item_start", live, item_id=items_of(other)[0].pk), **HTMX)
    assert response.status_code == 404


def test_starting_an_item_of_a_far_session_shows_why_not(client, session, coordinator):
    from ..factories.minutes import agenda

    item = agenda(session, 1)[0]
    html = login(client, coordinator).post(url("live_item_start", session, item_id=item.pk), **HTMX).content.decode()
    assert "pas encore commencé" in html
    session.refresh_from_db()
    assert session.current_item is None


# Notes -------------------------------------------------------------------------------------------


def test_notes_autosave_answers_the_new_version(client, live, coordinator):
    item = items_of(live)[0]
    response = login(client, coordinator).post(
        url("live_notes_save", live, item_id=item.pk), {"notes": "Accueil.", "version": 0}, **HTMX
    )
    html = response.content.decode()
    assert 'name="version" value="1"' in html and "Enregistré à" in html
    item.refresh_from_db()
    assert item.notes == "Accueil."


def test_two_coordinators_typing_the_same_notes_lose_nothing(client, live, coordinator, admin_user):
    item = items_of(live)[0]
    login(client, coordinator).post(
        url("live_notes_save", live, item_id=item.pk), {"notes": "Texte de Claire", "version": 0}, **HTMX
    )
    response = login(client, admin_user).post(
        url("live_notes_save", live, item_id=item.pk), {"notes": "Texte d'Alex", "version": 0}, **HTMX
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#notes-card-{item.pk}"
    assert "Conflit de modification" in html
    assert "Texte de Claire" in html and "Texte d&#x27;Alex" in html
    item.refresh_from_db()
    assert item.notes == "Texte de Claire"
    # Alex merges and saves on the version now saved.
    response = client.post(
        url("live_notes_save", live, item_id=item.pk),
        {"notes": "Texte de Claire\nTexte d'Alex", "version": 1, "merge": "1"},
        **HTMX,
    )
    assert f'id="notes-card-{item.pk}"' in response.content.decode()
    item.refresh_from_db()
    assert item.notes == "Texte de Claire\nTexte d'Alex"


def test_a_notes_conflict_without_javascript_is_a_page_with_both_texts(client, live, coordinator, admin_user):
    item = items_of(live)[0]
    login(client, coordinator).post(url("live_notes_save", live, item_id=item.pk), {"notes": "A", "version": 0})
    response = login(client, admin_user).post(
        url("live_notes_save", live, item_id=item.pk), {"notes": "B", "version": 0}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Texte fusionné" in html and "data-conflict-saved>A<" in html


@pytest.mark.parametrize("notes", ["x" * 100_000, "bell\x07"])
def test_hostile_notes_are_refused_with_a_message(client, live, coordinator, notes):
    item = items_of(live)[0]
    response = login(client, coordinator).post(
        url("live_notes_save", live, item_id=item.pk), {"notes": notes, "version": 0}, **HTMX
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    item.refresh_from_db()
    assert item.notes == ""


def test_notes_with_markup_are_escaped(client, live, coordinator):
    item = items_of(live)[0]
    login(client, coordinator).post(
        url("live_notes_save", live, item_id=item.pk), {"notes": "<script>alert(1)</script>", "version": 0}, **HTMX
    )
    page = client.get(url("session_live", live)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Attendance --------------------------------------------------------------------------------------


def test_attendance_is_saved_per_operator_and_person(client, live, coordinator, operator, member):
    login(client, coordinator)
    response = client.post(
        url("live_attendance", live), {"operator": operator.pk, "user": "", "status": "present"}, **HTMX
    )
    assert "Enregistré" in response.content.decode()
    client.post(url("live_attendance", live), {"operator": operator.pk, "user": member.pk, "status": "excused"}, **HTMX)
    assert set(Attendance.objects.values_list("user_id", "status")) == {(None, "present"), (member.pk, "excused")}
    page = client.get(url("session_live", live)).content.decode()
    assert '<option value="excused" selected>' in page


@pytest.mark.parametrize(
    "data",
    [
        {"operator": "other", "status": "present"},
        {"operator": 999999, "status": "present"},
        {"operator": "OP", "user": "other_member", "status": "present"},
        {"operator": "OP", "status": "maybe"},
        {},
    ],
)
def test_attendance_refuses_wrong_ids_with_a_message(
    client, live, coordinator, operator, other_operator, other_member, data
):
    data = dict(data)
    data["operator"] = {"OP": operator.pk, "other": other_operator.pk}.get(
        data.get("operator"), data.get("operator", "")
    )
    if data.get("user") == "other_member":
        data["user"] = other_member.pk
    response = login(client, coordinator).post(url("live_attendance", live), data, **HTMX)
    assert response.status_code == 200 and "text-danger" in response.content.decode()
    assert not Attendance.objects.exists()


# Decisions, actions, needs -----------------------------------------------------------------------


def test_a_decision_is_added_and_the_list_comes_back(client, live, coordinator):
    item = items_of(live)[2]
    response = login(client, coordinator).post(
        url("live_decision_add", live),
        {"decision-text": "Tester la ligne commune.", "decision-agenda_item": item.pk},
        **HTMX,
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="live-decisions"')
    assert "Tester la ligne commune." in html and "La décision a été enregistrée." in html
    assert Decision.objects.get().agenda_item == item


def test_an_empty_decision_shows_a_french_error(client, live, coordinator):
    html = (
        login(client, coordinator).post(url("live_decision_add", live), {"decision-text": ""}, **HTMX).content.decode()
    )
    assert "Ce champ est obligatoire." in html and not Decision.objects.exists()


def test_an_action_is_added_with_its_owner(client, live, coordinator, operator, member):
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    data = {
        "action-description": "Envoyer la liste des lits",
        "action-owner_operator": operator.pk,
        "action-owner_user": member.pk,
        "action-due_date": due,
    }
    html = login(client, coordinator).post(url("live_action_add", live), data, **HTMX).content.decode()
    assert "Envoyer la liste des lits" in html and "Olivier Marchal" in html
    action = Action.objects.get()
    assert (action.owner_operator, action.owner_user, action.due_date.isoformat()) == (operator, member, due)


def test_an_action_for_another_operator_or_its_people_is_refused(
    client, live, coordinator, operator, other_operator, other_member
):
    login(client, coordinator)
    html = client.post(
        url("live_action_add", live), {"action-description": "X", "action-owner_operator": other_operator.pk}, **HTMX
    ).content.decode()
    assert "Sélectionnez un choix valide" in html
    html = client.post(
        url("live_action_add", live),
        {"action-description": "X", "action-owner_operator": operator.pk, "action-owner_user": other_member.pk},
        **HTMX,
    ).content.decode()
    assert "Sélectionnez un choix valide" in html
    # A member of a participating operator, but not of the owner operator.
    third = OperatorFactory(name="Pléiade")
    Participation.objects.create(series=live.series, operator=third, since=datetime.date(2020, 9, 1))
    stranger = MembershipFactory(operator=third).user
    html = client.post(
        url("live_action_add", live),
        {"action-description": "X", "action-owner_operator": operator.pk, "action-owner_user": stranger.pk},
        **HTMX,
    ).content.decode()
    assert "opérateur responsable" in html and "is-invalid" in html
    assert not Action.objects.exists()


def test_a_due_date_before_the_session_is_a_field_error(client, live, coordinator, operator):
    data = {"action-description": "X", "action-owner_operator": operator.pk, "action-due_date": "2001-01-01"}
    html = login(client, coordinator).post(url("live_action_add", live), data, **HTMX).content.decode()
    assert "is-invalid" in html and not Action.objects.exists()


def test_a_need_is_raised_with_its_themes(client, live, coordinator, operator):
    data = {
        "need-title": "Lits de crise pour adolescents",
        "need-description": "Peu de places la nuit.",
        "need-raised_by": operator.pk,
        "need-themes": "continuité des soins, hébergement, ",
    }
    html = login(client, coordinator).post(url("live_need_add", live), data, **HTMX).content.decode()
    assert "Lits de crise pour adolescents" in html and "hébergement" in html
    need = CooperationNeed.objects.get()
    assert need.source_session == live and need.raised_by == operator
    assert sorted(need.themes.values_list("name", flat=True)) == ["continuité des soins", "hébergement"]
    assert need.mentions.filter(session=live).exists()


def test_a_need_without_title_is_refused(client, live, coordinator, operator):
    data = {"need-title": "", "need-raised_by": operator.pk}
    html = login(client, coordinator).post(url("live_need_add", live), data, **HTMX).content.decode()
    assert "Ce champ est obligatoire." in html and not CooperationNeed.objects.exists()


def test_without_javascript_the_forms_come_back_to_the_page(client, live, coordinator):
    response = login(client, coordinator).post(url("live_decision_add", live), {"decision-text": "D"})
    assert response.status_code == 302 and Decision.objects.count() == 1


# Ending ------------------------------------------------------------------------------------------


def test_ending_the_meeting_goes_to_the_drafted_minutes(client, live, coordinator):
    response = login(client, coordinator).post(url("session_end", live))
    assert response.status_code == 302 and response["Location"] == url("minutes_detail", live)
    live.refresh_from_db()
    assert live.status == "held" and live.minutes.status == "draft"
    page = client.get(response["Location"]).content.decode()
    assert "Brouillon" in page


def test_ending_a_future_session_is_refused_with_a_message(client, session, coordinator):
    response = login(client, coordinator).post(url("session_end", session), follow=True)
    assert "pas encore commencé" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "planned"


# Query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 6])
def test_live_page_query_count_is_fixed(client, series, coordinator, count, django_assert_num_queries):
    """The ritual's five items plus `count` more; `count` operators with two
    members, an info-round entry, a decision and an action each."""
    from meetings.services import actions as action_services

    live = session_under_way(series, items=5 + count)
    for n in range(count):
        op = OperatorFactory(name=f"Opérateur {n}")
        Participation.objects.create(series=series, operator=op, since=datetime.date(2020, 9, 1))
        writer = MembershipFactory(operator=op).user
        MembershipFactory(operator=op)
        action_services.decision_record(actor=coordinator, session=live, text=f"Décision {n}")
        action_services.action_record(actor=coordinator, session=live, description=f"Action {n}", owner_operator=op)
        InfoRoundEntry.objects.create(
            session=live, operator=op, status="submitted", submitted_at=timezone.now(), updated_by=writer
        )
    live.current_item = items_of(live)[0]
    live.save()
    login(client, coordinator)
    client.get(url("session_live", live))
    with django_assert_num_queries(QUERIES_LIVE):
        client.get(url("session_live", live))


# 29, and the individual participants (one query: registrations' people are
# now recorded on the live page too; their attendance is one more when there
# are some, tests/registrations/test_live_attendance.py).
QUERIES_LIVE = 30


def test_the_agenda_refreshes_alone(client, live, coordinator):
    first = items_of(live)[0]
    live.current_item = first
    live.save()
    html = login(client, coordinator).get(url("session_live", live), {"part": "agenda"}, **HTMX).content.decode()
    assert html.lstrip().startswith('<section id="live-agenda"') and 'aria-current="step"' in html


def test_without_javascript_a_refused_need_comes_back_with_its_text(client, live, coordinator, operator):
    data = {"need-title": "", "need-description": "Peu de places la nuit.", "need-raised_by": operator.pk}
    response = login(client, coordinator).post(url("live_need_add", live), data)
    assert response.status_code == 400
    body = response.content.decode()
    summary = body.index("data-error-summary")
    assert "Rien n'a été enregistré." in body[summary:] and "Ce champ est obligatoire." in body[summary:]
    assert ">Peu de places la nuit.</textarea>" in body
    assert not CooperationNeed.objects.exists()


def test_without_javascript_notes_refused_after_the_end_come_back(client, live, coordinator):
    from meetings.services.minutes import minutes_transition, session_end

    item = items_of(live)[0]
    login(client, coordinator)
    minutes = session_end(actor=coordinator, session=live)
    minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=minutes.version)
    response = client.post(url("live_notes_save", live, item_id=item.pk), {"notes": "Dernière remarque.", "version": 0})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Rien n'a été enregistré." in body and ">Dernière remarque.</textarea>" in body


def test_a_refused_form_in_the_page_says_so_at_its_top_after_an_htmx_swap(client, live, coordinator, operator):
    data = {"need-title": "", "need-raised_by": operator.pk}
    html = login(client, coordinator).post(url("live_need_add", live), data, **HTMX).content.decode()
    assert html.index("data-error-summary") < html.index('name="need-title"')
    assert 'tabindex="-1"' in html and "Rien n'a été enregistré." in html
