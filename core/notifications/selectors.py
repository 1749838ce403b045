"""Reads of the notifications: what was sent about a session, what is coming, what failed."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Minutes, Session
from meetings.selectors_agenda import info_round_window

from ..models import Notification, NotificationKind
from . import scan

Kind = NotificationKind


def session_notifications(*, session: Session) -> QuerySet[Notification]:
    """The rows about a session and its minutes, newest first (one query)."""
    minutes_ids = Minutes.objects.filter(session=session).values_list("pk", flat=True)
    return (
        Notification.objects.filter(
            Q(object_type="meetings.session", object_id=str(session.pk))
            | Q(object_type="meetings.minutes", object_id__in=[str(pk) for pk in minutes_ids])
        )
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Planned:
    label: str
    at: datetime.datetime
    done: bool


def session_schedule(*, session: Session, now: datetime.datetime | None = None) -> list[Planned]:
    """When each message about a planned session goes (no query: the series is selected with it)."""
    if session.status != Session.Status.PLANNED:
        return []
    now = now or timezone.now()
    series = session.series
    starts = session.starts_at
    opens_at, _deadline = info_round_window(session)
    steps = [
        (_("Invitation with the calendar file"), starts - scan.INVITATION_HORIZON),
        (_("Info round opens"), opens_at),
        (_("Info round reminder (operators that have not answered)"), starts - scan.INFO_ROUND_REMINDER),
        (_("Session reminder with the join link"), starts - datetime.timedelta(hours=series.reminder_hours)),
        (_("Info round last call"), starts - scan.INFO_ROUND_LAST_CALL),
    ]
    return [Planned(label=label, at=at, done=at <= now) for label, at in sorted(steps, key=lambda s: s[1])]


def failed_notifications() -> QuerySet[Notification]:
    return (
        Notification.objects.filter(state=Notification.State.FAILED)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )
