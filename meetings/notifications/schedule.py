"""The emails of one session, for its page: what was sent, and when the next ones go."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Max, Q, QuerySet
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from core.brussels import brussels_date
from core.text import choice_labels
from notifications.models import Notification
from notifications.registry import kind_choices

from ..fragments import series_fragment_key
from ..models import Minutes, Session
from ..selectors.absences import office_hours_of
from . import due
from .kinds import MINUTES, SESSION
from .kinds import MeetingKind as Kind


def session_notifications(*, session: Session, minutes_ids=None) -> QuerySet[Notification]:
    """The rows about a session and its minutes (`minutes_ids` when read
    already), newest first (one query; two without `minutes_ids`)."""
    if minutes_ids is None:
        minutes_ids = Minutes.objects.filter(session=session).values_list("pk", flat=True)
    return (
        Notification.objects.filter(
            Q(object_type=SESSION, object_id=str(session.pk))
            | Q(object_type=MINUTES, object_id__in=[str(pk) for pk in minutes_ids])
        )
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


# The emails listed on the session page: the newest, and whether there are older ones.
SHOWN = 50


class SessionEmails:
    """The coordinators' panel of a session's emails: the schedule of the
    next ones, and the newest sent (each with its labels) with whether older
    ones were left off — read only when the page's cached table misses
    (`key`: it changes with the rows, see session_emails)."""

    def __init__(self, schedule: list, read, key: str):
        self.schedule, self._read, self.key = schedule, read, key

    @cached_property
    def _rows(self) -> list[Notification]:
        return self._read()

    @property
    def sent(self) -> list[Notification]:
        return self._rows[:SHOWN]

    @property
    def more(self) -> bool:
        return len(self._rows) > SHOWN


def _emails_signature(session: Session, minutes_ids) -> str:
    """What changes when a row of the table changes (one aggregate query): a
    row made or purged, a state moved (the scan and the sending write in bulk,
    without signals), a sending time set. A row rescheduled moves with its
    session or series, whose stamp the key holds too."""
    State = Notification.State
    counts = {f"n_{state}": Count("pk", filter=Q(state=state)) for state in State.values}
    found = (
        session_notifications(session=session, minutes_ids=minutes_ids)
        .order_by()
        .aggregate(last=Max("pk"), sent=Max("sent_at"), due=Max("due_at"), **counts)
    )
    return "-".join(str(found[name]) for name in sorted(found))


def session_emails(*, session: Session, now: datetime.datetime | None = None) -> SessionEmails:
    """What was sent about `session` and when the next messages go: the
    schedule (two queries) and the table's key (one); the table's rows (one
    query) only if the cache misses. The labels of kinds and states are
    translated once per panel, not once per row."""

    minutes_ids = list(Minutes.objects.filter(session=session).values_list("pk", flat=True))

    def read() -> list[Notification]:
        shown = ("kind", "state", "sent_at", "due_at", "created_at", "recipient__name", "recipient__email")
        rows = session_notifications(session=session, minutes_ids=minutes_ids)
        sent = list(rows.only(*shown)[: SHOWN + 1])
        kinds, states = choice_labels(kind_choices()), choice_labels(Notification.State.choices)
        for row in sent:
            row.kind_label, row.state_label = kinds.get(row.kind, row.kind), states.get(row.state, row.state)
            # As |date:"j M Y H:i" would, in Brussels time: once per row here, not through the template engine.
            row.when_label = dateformat.format(timezone.localtime(row.sent_at or row.due_at), "j M Y H:i")
            row.recipient_label = row.recipient.name or row.recipient.email
        return sent

    key = series_fragment_key("session-emails", session.series_id, session.pk, _emails_signature(session, minutes_ids))
    return SessionEmails(schedule=session_schedule(session=session, now=now), read=read, key=key)


@dataclass(frozen=True)
class Planned:
    label: str
    at: datetime.datetime
    # What is true of this step now: "sent", "sending" (made, not sent yet),
    # "failed", "not_sent" (its time passed and no email went: nobody to
    # tell, or the scan has not run yet) or "scheduled" (its time is ahead).
    state: str


def _step_state(at, states: set[str], now) -> str:
    State = Notification.State
    if State.SENT in states:
        return "sent"
    if states & {State.PENDING, State.SENDING}:
        return "sending"
    if State.FAILED in states:
        return "failed"
    return "not_sent" if at <= now else "scheduled"


INFO_ROUND_LABELS = {
    Kind.INFO_ROUND_OPEN: _("Info round opens"),
    Kind.INFO_ROUND_REMINDER: _("Info round reminder (operators that have not answered)"),
    Kind.INFO_ROUND_LAST_CALL: _("Info round last call"),
}


def session_schedule(*, session: Session, now: datetime.datetime | None = None) -> list[Planned]:
    """When each message about a planned session goes, and whether it went
    (two queries: the series is selected with the session; its closed
    periods). The info-round steps are those the scan will make, within the
    series' office hours (due.info_round_steps). A step is "sent" once a row
    of its kind was sent, never merely because its time passed."""
    if session.status != Session.Status.PLANNED:
        return []
    now = now or timezone.now()
    series = session.series
    starts = session.starts_at
    first_day = brussels_date(starts) - datetime.timedelta(days=due.INFO_ROUND_MAX_OPEN_DAYS)
    hours = office_hours_of(series, first_day, brussels_date(starts))
    info_round = due.info_round_steps(starts_at=starts, open_days=series.info_round_open_days, hours=hours)
    steps = [
        (Kind.SESSION_INVITATION, _("Invitation with the calendar file"), starts - due.INVITATION_HORIZON),
        *[(kind, INFO_ROUND_LABELS[kind], at) for kind, at in info_round],
    ]
    reminder = due.session_reminder_at(starts_at=starts, reminder_hours=series.reminder_hours, hours=hours)
    if reminder is not None:
        steps.append((Kind.SESSION_REMINDER, _("Session reminder with the join link"), reminder))
    rows = Notification.objects.filter(
        object_type=SESSION, object_id=str(session.pk), kind__in=[kind for kind, _l, _a in steps]
    ).values_list("kind", "period", "state")
    states: dict[str, set[str]] = {}
    for kind, period, state in rows:
        # An invitation for an earlier version of the session is not this one's.
        if kind != Kind.SESSION_INVITATION or period == f"v{session.sequence}":
            states.setdefault(kind, set()).add(state)
    return [
        Planned(label=label, at=at, state=_step_state(at, states.get(kind, set()), now))
        for kind, label, at in sorted(steps, key=lambda s: s[2])
    ]
