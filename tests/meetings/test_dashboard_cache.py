"""The home page's cached parts: the person's fragments (their operators, the
member's dashboard) and their timetable (the next sessions) show every write
and every moment that changes them, are never shared between people whose
pages differ, and are read in a fixed number of queries, cold and warm."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from meetings.fragments import series_changed
from meetings.models import Action, CooperationNeed, Participation
from operators.models import OperatorMembership

from ..conftest import login
from ..factories import SessionFactory
from .test_dashboard import NEXT, NOW, _many, action, agenda, entry, need, next_session, past_session


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def home(client) -> str:
    return client.get(reverse("core:home")).content.decode()


def test_the_member_part_shows_a_write_at_once(client, member, series, operator):
    session = next_session(series)
    agenda(session, 10)
    open_action = action(past_session(series), operator, due=dt.date(2026, 2, 1), text="Diffuser le calendrier")
    raised = need(series, operator, title="Relais de nuit", stage="emerging")
    login(client, member)
    body = home(client)
    assert "Diffuser le calendrier" in body and "Point 1" in body and "Émergent" in body
    open_action.description = "Diffuser le calendrier des gardes"
    open_action.save()
    raised.stage = "converging"
    raised.save()
    session.agenda_items.update(title="Tour de table")  # an UPDATE sends no signal: the services bump
    series_changed(series.pk)
    body = home(client)
    assert "Diffuser le calendrier des gardes" in body and "Convergent" in body and "Tour de table" in body


def test_a_submitted_entry_and_a_new_session_show_at_once(client, member, series, operator, _frozen):
    login(client, member)
    body = home(client)
    assert "Aucune séance n'est prévue dans vos dispositifs." in body
    session = next_session(series)
    body = home(client)
    assert reverse("meetings:session_detail", args=[session.public_id]) in body
    assert "Pas encore ouvert" in body
    _frozen.move_to(NEXT - dt.timedelta(days=2))
    assert "À remplir" in home(client)
    entry(session, operator, submitted=True, user=member)
    assert "Envoyé" in home(client)


def test_the_clock_alone_changes_the_member_part_and_the_table(client, member, series, operator, _frozen):
    first = next_session(series)
    second = next_session(series, starts_at=NEXT + dt.timedelta(weeks=4))
    login(client, member)
    body = home(client)
    assert "Pas encore ouvert" in body and "À remplir" not in body
    # The round opens three days before: no write, the fragment is rendered again.
    _frozen.move_to(NEXT - dt.timedelta(days=2))
    body = home(client)
    assert "À remplir" in body and "Pas encore ouvert" not in body
    assert reverse("meetings:inforound_entry", args=[first.public_id, operator.slug]) in body
    # The deadline passes: late.
    _frozen.move_to(NEXT - dt.timedelta(hours=2))
    assert "En retard" in home(client)
    # The first session is over: the next one is shown, in the card and in the table.
    _frozen.move_to(NEXT + dt.timedelta(hours=2))
    body = home(client)
    first_url = reverse("meetings:session_detail", args=[first.public_id])
    assert first_url not in body and reverse("meetings:session_detail", args=[second.public_id]) in body


def test_the_join_button_opens_with_the_clock(client, member, series, operator, _frozen):
    next_session(series, mode="video", video_url="https://visio.example.org/carrefour")
    login(client, member)
    assert "https://visio.example.org/carrefour" not in home(client)
    _frozen.move_to(NEXT - dt.timedelta(minutes=10))
    assert home(client).count("https://visio.example.org/carrefour") == 2  # the card and the table


def test_people_do_not_share_their_fragments(
    client, member, other_member, series, operator, other_operator, coordinator
):
    Participation.objects.create(series=series, operator=other_operator, since=dt.date(2026, 1, 1))
    session = past_session(series)
    action(session, operator, text="Action de Canopée")
    action(session, other_operator, text="Action de Polaris")
    ours = home(login(client, member))
    client.logout()
    theirs = home(login(client, other_member))
    client.logout()
    coordinating = home(login(client, coordinator))
    assert "Action de Canopée" in ours and "Action de Polaris" not in ours
    assert "Action de Polaris" in theirs and "Action de Canopée" not in theirs
    assert "Pour mon opérateur" in ours and "Pour mon opérateur" in theirs
    assert "Pour mon opérateur" not in coordinating and "Pour les dispositifs que je coordonne" in coordinating
    assert "Canopée" in ours.split('id="my-operators"')[1] and "Polaris" not in ours.split('id="my-operators"')[1]
    # Served warm, each still sees their own.
    client.logout()
    assert "Action de Polaris" not in home(login(client, member))


def test_a_new_role_or_operator_shows_at_once(client, member, series, operator, other_operator):
    login(client, member)
    assert "Polaris" not in home(client).split('id="my-operators"')[1]
    OperatorMembership.objects.create(user=member, operator=other_operator, role="member")
    assert "Polaris" in home(client).split('id="my-operators"')[1]
    other_operator.name = "Polaris Namur"
    other_operator.save()
    assert "Polaris Namur" in home(client)


def test_each_language_has_its_own_fragments(client, member, series, operator):
    next_session(series)
    action(past_session(series), operator, text="Diffuser le calendrier")
    login(client, member)
    french = home(client)
    assert "Pour mon opérateur" in french and "Mes opérateurs" in french and "mardi 10 mars 2026" in french
    User.objects.filter(pk=member.pk).update(language="en")
    english = home(client)
    assert "For my operator" in english and "My operators" in english and "Tuesday 10 March 2026" in english
    assert "Pour mon opérateur" not in english and "mardi" not in english
    assert "Diffuser le calendrier" in english


def _token(body: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    return found.group(1) if found else ""


def test_the_cached_close_forms_hold_a_valid_token_after_a_new_login(member, series, operator):
    client = Client(enforce_csrf_checks=True)
    first = action(past_session(series), operator, text="Diffuser le calendrier")
    second = action(past_session(series, 2), operator, text="Relancer les partenaires")
    login(client, member)
    body = home(client)
    response = client.post(
        reverse("meetings:action_close", args=[first.public_id]),
        {"csrfmiddlewaretoken": _token(body), "status": "done", "next": reverse("core:home")},
    )
    assert response.status_code == 302
    # A new secret (a new login): the page is not served with the former one's token.
    client.logout()
    client.cookies.pop("csrftoken", None)
    login(client, member)
    body = home(client)
    assert "Relancer les partenaires" in body and "Diffuser le calendrier" not in body
    response = client.post(
        reverse("meetings:action_close", args=[second.public_id]),
        {"csrfmiddlewaretoken": _token(body), "status": "done", "next": reverse("core:home")},
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=second.pk).status == "done"


def test_ended_needs_leave_with_the_day(client, member, series, operator, _frozen):
    # Closed 30 days ago at 15:00: shown until the end of that day's thirtieth anniversary.
    need(series, operator, title="Clos il y a un mois", stage="closed", changed=NOW - dt.timedelta(days=30, hours=-6))
    login(client, member)
    assert "Clos il y a un mois" in home(client)
    _frozen.move_to(NOW + dt.timedelta(days=1))
    assert "Clos il y a un mois" not in home(client)
    assert CooperationNeed.objects.count() == 1


@pytest.mark.parametrize("count", [1, 6])
def test_query_counts_cold_and_warm(client, member, series, operator, other_operator, count, django_assert_num_queries):
    """A member who coordinates: cold, everything is read; warm, only what the keys need."""
    _many(series, operator, other_operator, member, count)
    login(client, member)
    with django_assert_num_queries(28):  # see tests/meetings/test_dashboard.py
        cold = client.get(reverse("core:home"))
    assert cold.status_code == 200
    # Warm, whatever the count: the session and the person, the savepoint and its release (tests),
    # the permission reads once per request (their operators, the series they take part in: 2, in
    # their own name, the series they coordinate), the polls to answer, their operators' participations
    # (the member's part is theirs), and the nav's permission checks (3). None of the dashboards' rows.
    with django_assert_num_queries(9):
        warm = client.get(reverse("core:home"))
    assert warm.status_code == 200
    assert warm.content.decode().count('class="card h-100"') == count


@pytest.mark.parametrize("count", [1, 6])
def test_query_counts_of_a_coordinator(
    client, coordinator, series, operator, other_operator, count, django_assert_num_queries
):
    _many(series, operator, other_operator, coordinator, count)
    login(client, coordinator)
    client.get(reverse("core:home"))
    # The session and the person, the savepoint and its release (tests), their operators (none), the
    # series they take part in their own name and those they coordinate, the nav's group check.
    with django_assert_num_queries(7):
        body = home(client)
    assert "Pour les dispositifs que je coordonne" in body
    for n in range(1, count):
        assert f"Série {n}" in body
    SessionFactory(series=series, starts_at=NEXT - dt.timedelta(days=1), ends_at=NEXT - dt.timedelta(days=1, hours=-1))
    assert body != home(client)
