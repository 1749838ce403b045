"""The scan: who gets a row of which kind, when, once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Action, InfoRoundEntry, JoinRequest, Minutes, PollSlot, Session, SlotPoll
from meetings.notifications import MeetingKind as Kind
from meetings.notifications.due import info_round_step
from notifications import digest

from ..factories import SessionFactory, UserFactory
from .conftest import BRUSSELS, NOW, recipients_of, rows_of, scan_at


def test_an_upcoming_session_invites_every_participant_once(pilot, outsider):
    scan_at()
    scan_at()  # a second run (or a second beat) adds nothing
    assert recipients_of(Kind.SESSION_INVITATION) == {
        "claire@example.org",
        "isabelle@example.org",
        "olivier@example.org",
        "david@example.org",
    }
    assert rows_of(Kind.SESSION_INVITATION).count() == 4
    assert not rows_of(recipient__email="paul@example.org").exists()


def test_a_session_beyond_the_horizon_is_not_announced_yet(pilot):
    Session.objects.filter(pk=pilot.pk).update(
        starts_at=NOW + datetime.timedelta(days=20), ends_at=NOW + datetime.timedelta(days=20, hours=1)
    )
    scan_at()
    assert not rows_of(Kind.SESSION_INVITATION).exists()


def test_a_moved_session_is_announced_again_and_a_cancelled_one_once(pilot):
    scan_at()
    Session.objects.filter(pk=pilot.pk).update(sequence=1)
    scan_at()
    assert set(rows_of(Kind.SESSION_INVITATION).values_list("period", flat=True)) == {"v0", "v1"}
    Session.objects.filter(pk=pilot.pk).update(status=Session.Status.CANCELLED, sequence=2)
    scan_at()
    scan_at()
    assert rows_of(Kind.SESSION_CANCELLED).count() == 4


def test_info_round_goes_to_operators_that_have_not_submitted(pilot, operator):
    InfoRoundEntry.objects.create(
        session=pilot, operator=operator, status=InfoRoundEntry.Status.SUBMITTED, submitted_at=NOW
    )
    scan_at()
    assert recipients_of(Kind.INFO_ROUND_OPEN) == {"david@example.org"}


@pytest.mark.parametrize(
    "before,kind",
    [
        (datetime.timedelta(days=4), None),
        (datetime.timedelta(days=2), Kind.INFO_ROUND_OPEN),
        (datetime.timedelta(hours=20), Kind.INFO_ROUND_REMINDER),
        (datetime.timedelta(hours=1), Kind.INFO_ROUND_LAST_CALL),
        (datetime.timedelta(minutes=-5), None),
    ],
)
def test_only_the_latest_info_round_step_is_due(before, kind):
    starts = NOW + before
    assert info_round_step(starts_at=starts, open_days=3, now=NOW) == kind


def test_session_reminder_from_the_series_hours(pilot):
    scan_at()
    assert not rows_of(Kind.SESSION_REMINDER).exists()
    scan_at(pilot.starts_at - datetime.timedelta(hours=23))
    assert rows_of(Kind.SESSION_REMINDER).count() == 4


def test_turned_off_kinds_are_not_made_but_invitations_always_are(pilot, member):
    member.notifications_off = [Kind.INFO_ROUND_OPEN, Kind.SESSION_INVITATION]
    member.save()
    scan_at()
    assert "olivier@example.org" not in recipients_of(Kind.INFO_ROUND_OPEN)
    assert "olivier@example.org" in recipients_of(Kind.SESSION_INVITATION)


def test_actions_due_soon_then_overdue_weekly(series, operator, member, referent, coordinator, session):
    action = Action.objects.create(
        series=series,
        session=session,
        description="Mettre à jour la liste des contacts de garde",
        owner_operator=operator,
        owner_user=member,
        due_date=datetime.date(2026, 3, 12),
    )
    scan_at()
    assert recipients_of(Kind.ACTION_DUE) == {"olivier@example.org"}
    scan_at(NOW + datetime.timedelta(days=3))
    scan_at(NOW + datetime.timedelta(days=4))
    scan_at(NOW + datetime.timedelta(days=10))
    assert list(rows_of(Kind.ACTION_OVERDUE).order_by("period").values_list("period", flat=True)) == ["w0", "w1"]
    Action.objects.filter(pk=action.pk).update(owner_user=None)
    scan_at(NOW + datetime.timedelta(days=17))
    assert recipients_of(Kind.ACTION_OVERDUE, period="w2") == {"olivier@example.org", "isabelle@example.org"}


def test_polls_join_requests_and_minutes(series, operator, other_operator, referent, other_member, coordinator):
    poll = SlotPoll.objects.create(series=series, title="Créneau", deadline=NOW + datetime.timedelta(hours=10))
    PollSlot.objects.create(poll=poll, weekday=1, start_time=datetime.time(13, 30), duration=60)
    request = JoinRequest.objects.create(series=series, operator=other_operator, requested_by=other_member)
    session = SessionFactory(series=series, starts_at=NOW - datetime.timedelta(days=1))
    Minutes.objects.create(session=session, status=Minutes.Status.PUBLISHED, published_at=NOW)
    scan_at()
    assert recipients_of(Kind.POLL_INVITATION) == {"isabelle@example.org"}
    assert recipients_of(Kind.POLL_REMINDER) == {"isabelle@example.org"}
    assert recipients_of(Kind.JOIN_REQUEST_RECEIVED) == {"claire@example.org"}
    assert recipients_of(Kind.MINUTES_PUBLISHED) == {"claire@example.org", "isabelle@example.org"}
    JoinRequest.objects.filter(pk=request.pk).update(status=JoinRequest.Status.ACCEPTED, decided_at=NOW)
    scan_at()
    assert recipients_of(Kind.JOIN_REQUEST_DECIDED) == {"david@example.org"}


@pytest.mark.parametrize(
    "local,due",
    [
        (datetime.datetime(2026, 3, 23, 7, 59), False),  # Monday, winter time (UTC+1)
        (datetime.datetime(2026, 3, 23, 8, 0), True),
        (datetime.datetime(2026, 3, 30, 8, 0), True),  # the Monday after the clock change (UTC+2)
        (datetime.datetime(2026, 3, 30, 7, 30), False),
        (datetime.datetime(2026, 10, 26, 8, 0), True),  # the Monday after October's change
        (datetime.datetime(2026, 3, 24, 8, 0), False),  # a Tuesday
    ],
)
def test_the_digest_is_due_monday_at_eight_brussels_time_across_clock_changes(db, local, due):
    user = UserFactory()
    rows = digest.digests_due(local.replace(tzinfo=BRUSSELS))
    assert (user.pk in {r.recipient_id for r in rows}) is due


def test_a_scan_that_finds_every_row_made_inserts_nothing(pilot):
    """Minute after minute the same rows are due: the next scan asks which
    exist (a query per kind of object) rather than inserting them again."""
    first = scan_at()
    made = rows_of().count()
    assert first and made
    with CaptureQueriesContext(connection) as queries:
        assert scan_at() == first
    assert rows_of().count() == made
    assert not [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
