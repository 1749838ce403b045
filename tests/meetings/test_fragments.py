"""The cached fragments (the session page's agenda and follow-up, the needs
board): a write shows at once, no person is served another's fragment, each
language has its own."""

import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from meetings.models import Action, Participation
from meetings.services.actions import action_close, action_record, decision_record
from meetings.services.agenda import agenda_item_add
from meetings.services.inforound import info_round_entry_save
from meetings.services.needs import need_close, need_raise
from operators.services import operator_update

from ..conftest import login
from ..factories import SessionFactory

EARLIER = dt.datetime(2020, 10, 15, 11, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2020, 10, 22, 11, 30, tzinfo=dt.UTC)


@pytest.fixture
def sessions(series):
    """A session, and the one before it whose actions the later one carries."""
    earlier = SessionFactory(series=series, starts_at=EARLIER, ends_at=EARLIER + dt.timedelta(hours=1))
    later = SessionFactory(series=series, starts_at=LATER, ends_at=LATER + dt.timedelta(hours=1))
    return earlier, later


def page(client, session) -> str:
    response = client.get(reverse("meetings:session_detail", args=[session.public_id]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def close_link(action: Action) -> str:
    return reverse("meetings:action_close", args=[action.public_id])


def test_a_write_shows_on_the_page_at_once(client, sessions, coordinator, operator):
    earlier, later = sessions
    login(client, coordinator)
    with CaptureQueriesContext(connection) as first:
        before = page(client, later)
    assert "Aucune action en cours issue des séances précédentes." in before
    with CaptureQueriesContext(connection) as second:
        page(client, later)
    # Served from the cache: the agenda and the follow-up are not read again.
    assert len(second) < len(first)

    action = action_record(
        actor=coordinator, session=earlier, description="Écrire la fiche commune", owner_operator=operator
    )
    decision_record(actor=coordinator, session=later, text="La fiche commune est adoptée")
    agenda_item_add(actor=coordinator, session=later, title="Point sur les crises", kind="other", timebox=10)
    after = page(client, later)
    assert "Écrire la fiche commune" in after and close_link(action) in after
    assert "La fiche commune est adoptée" in after and "Point sur les crises" in after

    # Closing is a conditional UPDATE (no signal): the service drops the fragments itself.
    action_close(actor=coordinator, action=action, status=Action.Status.DONE)
    closed = page(client, later)
    assert close_link(action) not in closed and "Fait" in closed


def test_a_renamed_operator_shows_with_its_new_name(client, sessions, coordinator, operator, admin_user):
    earlier, later = sessions
    action_record(actor=coordinator, session=earlier, description="Écrire la fiche commune", owner_operator=operator)
    login(client, coordinator)
    assert "Canopée" in page(client, later)
    # The operators app drops the names other apps' fragments show, after its UPDATE too.
    operator_update(actor=admin_user, operator=operator, version=operator.version, short_name="Canopée (Beauvallon)")
    assert "Canopée (Beauvallon)" in page(client, later)


def test_two_people_never_see_each_others_follow_up(
    client, sessions, series, coordinator, operator, other_operator, member, other_member
):
    """The member of the owner operator may close the action; the member of
    another operator of the series sees it without the button, even when the
    owner's page was cached first."""
    earlier, later = sessions
    Participation.objects.create(series=series, operator=other_operator, since=dt.date(2020, 9, 1))
    action = action_record(
        actor=coordinator, session=earlier, description="Écrire la fiche commune", owner_operator=operator
    )
    assert close_link(action) in page(login(client, member), later)
    client.logout()
    other = page(login(client, other_member), later)
    assert "Écrire la fiche commune" in other and close_link(action) not in other
    client.logout()
    assert close_link(action) in page(login(client, coordinator), later)
    # The agenda's coordinators' link is not served to a member either.
    client.logout()
    agenda_edit = reverse("meetings:session_agenda_edit", args=[later.public_id])
    assert agenda_edit not in page(login(client, other_member), later)


def test_each_language_has_its_own_fragment(client, sessions, coordinator, operator):
    earlier, later = sessions
    action_record(actor=coordinator, session=earlier, description="Écrire la fiche commune", owner_operator=operator)
    login(client, coordinator)
    french = page(client, later)
    assert "Suivi des actions" in french
    User.objects.filter(pk=coordinator.pk).update(language="en")
    english = page(client, later)
    assert "Follow-up of actions" in english and "Suivi des actions" not in english
    assert "Agenda" in english and "Écrire la fiche commune" in english


def board(client) -> str:
    return html.unescape(client.get(reverse("meetings:need_board")).content.decode())


def test_the_board_shows_a_write_at_once(client, series, coordinator, member, operator):
    login(client, member)
    assert "Relais le week-end" not in board(client)
    need = need_raise(actor=member, series=series, operator=operator, title="Relais le week-end", themes=["Crise"])
    assert "Relais le week-end" in board(client)
    # A stage change is an UPDATE (no signal): the service drops the fragments.
    need_close(actor=coordinator, need=need, stage="dropped", reason="Plus d'actualité.")
    after = board(client)
    assert (
        "Relais le week-end" in after.split("<details", 1)[1] and "Relais le week-end" not in after.split("<details")[0]
    )


def test_the_board_of_another_series_is_never_served(client, series, member, operator, other_coordinator):
    need_raise(actor=member, series=series, operator=operator, title="Relais le week-end")
    assert "Relais le week-end" in board(login(client, member))
    client.logout()
    assert "Relais le week-end" not in board(login(client, other_coordinator))


def register(client, **params) -> str:
    return html.unescape(client.get(reverse("meetings:action_register"), params).content.decode())


def test_the_action_register_shows_a_write_and_each_persons_buttons(
    client, sessions, series, coordinator, operator, other_operator, member, other_member
):
    earlier, _later = sessions
    Participation.objects.create(series=series, operator=other_operator, since=dt.date(2020, 9, 1))
    action = action_record(actor=coordinator, session=earlier, description="Écrire la fiche", owner_operator=operator)
    assert close_link(action) in register(login(client, member))
    client.logout()
    other = register(login(client, other_member))
    assert "Écrire la fiche" in other and close_link(action) not in other
    action_close(actor=member, action=action, status=Action.Status.DROPPED)
    assert "<td>Abandonné<div" in register(client)
    client.logout()
    # The coordinator may reopen it: a button of the one form that holds the CSRF token.
    reopen = reverse("meetings:action_reopen", args=[action.public_id])
    assert f'form="reopen-form" formaction="{reopen}"' in register(login(client, coordinator))


def test_the_compiled_round_shows_a_submission_at_once(client, ir_session, questions, coordinator, member, operator):
    url = reverse("meetings:inforound_compiled", args=[ir_session.public_id])
    login(client, coordinator)
    assert "Deux places se libèrent" not in client.get(url).content.decode()
    opens = ir_session.starts_at - dt.timedelta(days=ir_session.series.info_round_open_days - 1)
    info_round_entry_save(
        actor=member,
        session=ir_session,
        operator=operator,
        answers={questions[0].pk: "Deux places se libèrent"},
        version=0,
        submit=True,
        now=opens,
    )
    assert "Deux places se libèrent" in html.unescape(client.get(url).content.decode())


def test_the_coordinators_dashboard_shows_a_write_and_only_their_series(
    client, sessions, coordinator, operator, other_coordinator
):
    earlier, _later = sessions
    home = reverse("core:home")
    login(client, coordinator)
    assert "Écrire la fiche commune" not in client.get(home).content.decode()
    action_record(
        actor=coordinator,
        session=earlier,
        description="Écrire la fiche commune",
        owner_operator=operator,
        due_date=dt.date(2020, 10, 20),
    )
    assert "Écrire la fiche commune" in html.unescape(client.get(home).content.decode())
    client.logout()
    assert "Écrire la fiche commune" not in html.unescape(login(client, other_coordinator).get(home).content.decode())
