"""The series page's cached fragment (meetings.selectors.series.series_page,
meetings.fragments_series): a write shows at once, time passing shows as it
did without the cache, no person is served another's fragment, each language
has its own."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.models import User
from core.brussels import BRUSSELS
from meetings import fragments_series
from meetings.models import Mode, Series, Session
from meetings.services.actions import action_record
from meetings.services.charter import charter_accept, charter_requirement_set
from meetings.services.needs import need_raise
from meetings.services.polls import poll_close, poll_create
from meetings.services.series import join_request_create, join_request_decide, participation_add

from ..conftest import login
from ..factories import SessionFactory
from ..factories.charter import charter_publish_version

# A Tuesday of 2026, 13:30 in Brussels.
T0 = dt.datetime(2026, 3, 10, 13, 30, tzinfo=BRUSSELS)
HOUR, MINUTE, MICROSECOND = dt.timedelta(hours=1), dt.timedelta(minutes=1), dt.timedelta(microseconds=1)
TOKENS = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"')
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def page(client, series) -> str:
    response = client.get(reverse("meetings:series_detail", kwargs={"series_id": series.public_id}))
    assert response.status_code == 200
    return TOKENS.sub(r"\1", html.unescape(response.content.decode()))


def fresh_page(client, series) -> str:
    """The page as it reads without the cache."""
    with override_settings(CACHES=NO_CACHE):
        return page(client, series)


def poll_badge(title: str, colour: str) -> str:
    return f'{title}</a> <span class="badge text-bg-{colour}">'


def test_a_write_shows_on_the_series_page_at_once(client, series, coordinator, member, operator, other_operator):
    login(client, member)
    with CaptureQueriesContext(connection) as first:
        before = page(client, series)
    with CaptureQueriesContext(connection) as second:
        assert page(client, series) == before
    # Served from the cache: the sessions, needs, actions, people and polls are not read again.
    assert len(second) < len(first)
    assert "Aucune séance n'est prévue." in before
    assert "Émergent : 0" in before and "0 action ouverte" in before and "Polaris" not in before

    session = SessionFactory(series=series, starts_at=T0 + 100 * 24 * HOUR, ends_at=T0 + 100 * 24 * HOUR + HOUR)
    assert reverse("meetings:session_detail", args=[session.public_id]) in page(client, series)
    need_raise(actor=member, series=series, operator=operator, title="Relais le week-end")
    assert "Émergent : 1" in page(client, series)
    action_record(actor=coordinator, session=session, description="Écrire la fiche", owner_operator=operator)
    assert "1 action ouverte" in page(client, series)
    participation_add(actor=coordinator, series=series, operator=other_operator)
    assert "Polaris" in page(client, series)
    coordinator.name = "Claire Dubois-Lambert"
    coordinator.save()
    assert "Claire Dubois-Lambert" in page(client, series)


def test_polls_show_when_created_and_when_closed(client, series, coordinator, member):
    login(client, member)
    assert "Sondages de créneaux" not in page(client, series)
    poll = poll_create(
        actor=coordinator,
        series=series,
        title="Choix du créneau",
        deadline=dt.datetime.now(dt.UTC) + 7 * 24 * HOUR,
        slots=[(1, dt.time(13, 30), 90)],
    )
    assert poll_badge("Choix du créneau", "success") in page(client, series)
    # Closing is a conditional UPDATE (no signal), in the transaction that sets the
    # recurrence from the slot: that drops the series' fragments.
    poll_close(actor=coordinator, poll=poll, slot=poll.slots.get())
    assert poll_badge("Choix du créneau", "secondary") in page(client, series)
    poll.delete()
    assert "Choix du créneau" not in page(client, series)


def test_join_requests_waiting_show_to_the_coordinators_at_once(
    client, series, coordinator, member, other_member, other_operator
):
    pending = '<span class="badge text-bg-danger">1<span class="visually-hidden"> en attente</span>'
    login(client, coordinator)
    assert pending not in page(client, series)
    request = join_request_create(actor=other_member, series=series, operator=other_operator)
    assert pending in page(client, series)
    # Never to the others, even once the coordinator's page is cached.
    client.logout()
    assert pending not in page(login(client, member), series)
    client.logout()
    join_request_decide(actor=coordinator, join_request=request, accept=False)
    assert pending not in page(login(client, coordinator), series)


def test_the_charter_accepted_shows_to_who_accepted_it(client, series, coordinator, member):
    accepted = "Vous avez accepté la charte de ce dispositif."
    login(client, member)
    assert accepted not in page(client, series)
    charter_publish_version(series, coordinator)
    # Held back by the charter until they accept it.
    assert client.get(reverse("meetings:series_detail", kwargs={"series_id": series.public_id})).status_code == 302
    charter_accept(actor=User.objects.get(pk=member.pk), series=series, signed_name=member.name)
    assert accepted in page(client, series)
    client.logout()
    # The coordinator does not take part: they wrote it.
    assert accepted not in page(login(client, coordinator), series)
    charter_requirement_set(actor=User.objects.get(pk=coordinator.pk), series=series, required=False)
    client.logout()
    assert accepted not in page(login(client, member), series)


def test_coordinators_and_participants_never_share_the_fragment(client, series, coordinator, member):
    session = SessionFactory(series=series)
    edit = reverse("meetings:series_edit", args=[series.public_id])
    board = reverse("meetings:inforound_board", args=[session.public_id])
    for first, second in ((coordinator, member), (member, coordinator)):
        client.logout()
        body = page(login(client, first), series)
        client.logout()
        other = page(login(client, second), series)
        for person, text in ((first, body), (second, other)):
            shows = person == coordinator
            assert (edit in text) is shows and (board in text) is shows
        cache.clear()


def test_each_language_has_its_own_fragment(client, series, member):
    SessionFactory(series=series)
    login(client, member)
    french = page(client, series)
    assert "Séances à venir" in french and "Opérateurs participants" in french
    User.objects.filter(pk=member.pk).update(language="en")
    english = page(client, series)
    assert "Upcoming sessions" in english and "Participating operators" in english
    assert "Séances à venir" not in english
    User.objects.filter(pk=member.pk).update(language="fr")
    assert page(client, series) == french


@pytest.fixture
def timeline(series, coordinator, operator):
    """Sessions about T0 whose rows change as time passes, and an action due on T0's day."""
    Series.objects.filter(pk=series.pk).update(video_provider=Series.VideoProvider.JITSI)
    series.refresh_from_db()

    def add(start, length, **fields):
        return SessionFactory(series=series, starts_at=start, ends_at=start + length, **{"mode": Mode.VIDEO, **fields})

    first = add(T0, HOUR)
    add(T0 + 30 * MINUTE, 2 * HOUR)  # overlaps, ends later
    add(T0 - HOUR, 4 * HOUR, status=Session.Status.HELD)  # ended early: with the past ones, its link still open
    add(T0 + 24 * HOUR, HOUR, status=Session.Status.CANCELLED)
    add(T0 + 48 * HOUR, HOUR, mode=Mode.IN_PERSON)
    add(T0 + 7 * 24 * HOUR, HOUR)
    add(T0 + 14 * 24 * HOUR, HOUR)
    add(T0 - 7 * 24 * HOUR, HOUR, status=Session.Status.HELD)
    action_record(
        actor=coordinator, session=first, description="Écrire la fiche", owner_operator=operator, due_date=T0.date()
    )
    return series


def _moments() -> list[dt.datetime]:
    """Times on either side of every moment the page changes by itself, in order, and a few between."""
    moments = []
    for session in Session.objects.all():
        for edge in (session.starts_at - 15 * MINUTE, session.ends_at, session.ends_at + MICROSECOND):
            moments += [edge - MICROSECOND, edge]
    moments += [T0 - 2 * HOUR, T0 + 10 * HOUR, T0 + 3 * 24 * HOUR, T0 + 30 * 24 * HOUR]
    # Midnight in Brussels after T0: the action becomes overdue.
    midnight = dt.datetime.combine(T0.date() + dt.timedelta(days=1), dt.time(0), tzinfo=BRUSSELS)
    moments += [midnight - MICROSECOND, midnight]
    return sorted(set(moments))


@pytest.mark.parametrize("sessions_read", [2, 50])
@pytest.mark.parametrize("persona", ["coordinator", "member"])
def test_as_time_passes_the_page_reads_as_without_the_cache(
    client, request, timeline, persona, sessions_read, monkeypatch
):
    """The "Join" buttons show and go, the sessions move to the past ones, the
    actions become overdue, as they do on a page read without the cache: the
    fragment's key changes at each of these moments (with the sessions read a
    few at a time too, so that they are read again past their horizon)."""
    monkeypatch.setattr(fragments_series, "SESSIONS_READ", sessions_read)
    login(client, request.getfixturevalue(persona))
    seen = set()
    moments = _moments()
    # In order, then back in time (a request that reads a clock kept by a later one).
    for moment in [*moments, moments[0], moments[len(moments) // 2]]:
        with time_machine.travel(moment, tick=False):
            cached = page(client, timeline)
            assert cached == fresh_page(client, timeline), moment
            seen.add(cached)
    # The page did change: buttons, sessions over, the overdue action.
    assert len(seen) > 10
