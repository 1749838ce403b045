"""What the notification tests share: a fixed Tuesday, the rows made, a pilot with a session, a busy week."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meetings.models import Action, Decision, Minutes, Participation
from notifications import delivery
from notifications.models import Notification
from notifications.scan import notifications_scan

from ..factories import SeriesFactory, SessionFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=BRUSSELS)  # a Tuesday


def rows_of(kind=None, **filters):
    qs = Notification.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(**filters)


def recipients_of(kind, **filters):
    return set(rows_of(kind, **filters).values_list("recipient__email", flat=True))


@pytest.fixture
def pilot(series, operator, other_operator, referent, member, other_member, coordinator):
    """`series` with both operators taking part; a session two days after NOW."""
    Participation.objects.create(series=series, operator=other_operator, since=datetime.date(2020, 9, 1))
    session = SessionFactory(
        series=series, starts_at=NOW + datetime.timedelta(days=2), ends_at=NOW + datetime.timedelta(days=2, hours=1)
    )
    return session


def scan_at(at=NOW):
    return notifications_scan(now=at)


def send_all(at=NOW):
    with time_machine.travel(at, tick=False):
        for pk in delivery.notifications_due(now=at):
            delivery.notification_send(notification_id=pk, now=at)


def busy_series(coordinator, operator, n):
    for i in range(n):
        s = SeriesFactory(name=f"Série {i}")
        s.coordinators.add(coordinator)
        Participation.objects.create(series=s, operator=operator, since=datetime.date(2026, 1, 1))
        past = SessionFactory(series=s, starts_at=NOW - datetime.timedelta(days=2))
        SessionFactory(series=s, starts_at=NOW + datetime.timedelta(days=2))
        Minutes.objects.create(
            session=past, status=Minutes.Status.PUBLISHED, published_at=NOW - datetime.timedelta(days=1)
        )
        Decision.objects.create(series=s, session=past, text=f"Décision {i}")
        Action.objects.create(
            series=s,
            session=past,
            description=f"Action {i}",
            owner_operator=operator,
            due_date=datetime.date(2026, 3, 1),
        )
