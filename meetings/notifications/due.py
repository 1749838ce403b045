"""When the meetings' emails are due: the finders the periodic scan calls
(notifications/scan.py). Each returns the rows due at `now`, one per
(recipient, kind, object, period), and reads a bounded window of objects
with a fixed number of queries, whatever their number.

When things are due (Europe/Brussels wall time where it matters):

- session invitation: a planned session starting within INVITATION_HORIZON,
  again for each new version of it (a move raises its sequence);
- session cancelled: a cancelled session that has not started yet;
- session reminder: from `series.reminder_hours` before the start, within
  the series' office hours on a working day as the info round's steps are
  (session_reminder_at), to everyone but a person absent on the session's
  day (their substitute instead) and the members of an operator absent that
  day (its substitute instead): the info round's rule (AbsenceBook.recipients);
- info round: open from `series.info_round_open_days` before the start, a
  reminder from INFO_ROUND_REMINDER before it, a last call from
  INFO_ROUND_LAST_CALL before it, only to operators that have not submitted,
  and only the latest step (a late scan never sends the three at once);
  each step within the series' office hours on a working day (moved to the
  next opening, dropped when that is past the start), to the substitute of
  an absent operator or person, or to nobody (selectors/absences.py);
- minutes published, poll result, join request decided: within RECENT of it;
- action due: from ACTION_DUE_SOON days before its due date; overdue: once a
  week after it, for OVERDUE_WEEKS at most (the digest lists it after that);
- slot poll: an invitation while it is open, a reminder from POLL_REMINDER
  before its deadline to operators that have not answered;
- join request received: while it is pending;
- charter reminder: within RECENT of a coordinator's reminder, to everyone
  who takes part and has not accepted the version it names (still current).

The evaluation's emails are due as evaluations/notifications.py says, the
weekly digest as notifications/digest.py says.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

from core.brussels import brussels_date
from notifications.scan import DueRow, due_row

from ..models import (
    Action,
    CharterAcceptance,
    CharterReminder,
    InfoRoundEntry,
    JoinRequest,
    Minutes,
    PollAnswer,
    Session,
)
from ..models import SlotPoll as Poll
from ..selectors.absences import OfficeHours, absence_book, series_office_hours
from .audience import (
    member_ids_by_operator,
    participating_operators,
    series_audience,
    series_coordinators,
    series_participants,
    session_registrants,
)
from .kinds import ACTION, CHARTER_REMINDER, JOIN_REQUEST, MINUTES, POLL, SESSION
from .kinds import MeetingKind as Kind

INVITATION_HORIZON = datetime.timedelta(days=14)
CANCELLATION_HORIZON = datetime.timedelta(days=90)
INFO_ROUND_REMINDER = datetime.timedelta(hours=24)
INFO_ROUND_LAST_CALL = datetime.timedelta(hours=2)
INFO_ROUND_MAX_OPEN_DAYS = 14
RECENT = datetime.timedelta(days=7)
JOIN_REQUEST_WINDOW = datetime.timedelta(days=30)
POLL_REMINDER = datetime.timedelta(hours=24)
ACTION_DUE_SOON = 3
OVERDUE_WEEKS = 26


def sessions_due(now: datetime.datetime) -> list[DueRow]:
    rows = []
    upcoming = list(
        Session.objects.filter(
            status=Session.Status.PLANNED, starts_at__gt=now, starts_at__lte=now + INVITATION_HORIZON
        )
        .values_list(
            "pk",
            "series_id",
            "sequence",
            "starts_at",
            "series__reminder_hours",
            "series__office_hours_start",
            "series__office_hours_end",
        )
        .order_by()
    )
    cancelled = list(
        Session.objects.filter(
            status=Session.Status.CANCELLED, starts_at__gt=now, starts_at__lte=now + CANCELLATION_HORIZON
        )
        .values_list("pk", "series_id")
        .order_by()
    )
    audience = series_audience({s[1] for s in upcoming} | {s[1] for s in cancelled})
    registrants = session_registrants({s[0] for s in upcoming} | {s[0] for s in cancelled})
    reminded = _reminded(now, upcoming, audience, registrants)
    for pk, series_id, sequence, *_when in upcoming:
        for user_id in audience.of(series_id) | registrants.get(pk, set()):
            rows.append(due_row(user_id, Kind.SESSION_INVITATION, SESSION, pk, f"v{sequence}", now))
        rows.extend(due_row(user_id, Kind.SESSION_REMINDER, SESSION, pk, "", now) for user_id in reminded.get(pk, ()))
    for pk, series_id in cancelled:
        for user_id in audience.of(series_id) | registrants.get(pk, set()):
            rows.append(due_row(user_id, Kind.SESSION_CANCELLED, SESSION, pk, "", now))
    return rows


def _reminded(now, upcoming, audience, registrants) -> dict[int, set[int]]:
    """{session id: who gets its reminder now}: the sessions whose reminder
    is due within their series' office hours, to everyone taking part but
    the absent (two queries, none when no reminder is near)."""
    near = [s for s in upcoming if now >= s[3] - datetime.timedelta(hours=s[4])]
    if not near:
        return {}
    first_day = min(brussels_date(s[3] - datetime.timedelta(hours=s[4])) for s in near)
    last_day = max(brussels_date(s[3]) for s in near)
    hours = series_office_hours({s[1]: (s[5], s[6]) for s in near}, first_day, last_day)
    due = [
        (pk, series_id, brussels_date(starts_at))
        for pk, series_id, _sequence, starts_at, reminder_hours, *_hours in near
        if (at := session_reminder_at(starts_at=starts_at, reminder_hours=reminder_hours, hours=hours[series_id]))
        and now >= at
    ]
    if not due:
        return {}
    operator_ids = {op for _pk, series_id, _day in due for op in audience.operators.get(series_id, ())}
    absences = absence_book(min(d[2] for d in due), last_day, operator_ids=operator_ids)
    reminded = {}
    for pk, series_id, day in due:
        people = absences.recipients(
            operator_id=None,
            members=audience.own.get(series_id, set()) | registrants.get(pk, set()),
            session_day=day,
            today=day,
        )
        for operator_id in audience.operators.get(series_id, ()):
            people |= absences.recipients(
                operator_id=operator_id, members=audience.members.get(operator_id, ()), session_day=day, today=day
            )
        reminded[pk] = people
    return reminded


def _in_office_hours(at, *, starts_at, hours: OfficeHours | None) -> datetime.datetime | None:
    """`at`, moved to the next opening of the office hours (when given); None when that reaches the start."""
    if hours is not None:
        at = hours.next_open(at)
    return at if at < starts_at else None


def session_reminder_at(
    *, starts_at, reminder_hours: int, hours: OfficeHours | None = None
) -> datetime.datetime | None:
    """When a session's reminder goes: `reminder_hours` before its start,
    within the office hours as the info round's steps (None: not sent, it
    would reach the start)."""
    return _in_office_hours(starts_at - datetime.timedelta(hours=reminder_hours), starts_at=starts_at, hours=hours)


def info_round_steps(
    *, starts_at, open_days: int, hours: OfficeHours | None = None
) -> list[tuple[str, datetime.datetime]]:
    """(kind, when) of each info-round message of a session that will go, in order.

    With `hours`, each step moves to the next opening of the office hours,
    and a step that would then reach the start is dropped (nobody is chased
    at night, on a day off, or for a meeting already begun).
    """
    steps = [
        (Kind.INFO_ROUND_OPEN, starts_at - datetime.timedelta(days=open_days)),
        (Kind.INFO_ROUND_REMINDER, starts_at - INFO_ROUND_REMINDER),
        (Kind.INFO_ROUND_LAST_CALL, starts_at - INFO_ROUND_LAST_CALL),
    ]
    moved = [(kind, _in_office_hours(at, starts_at=starts_at, hours=hours)) for kind, at in steps]
    return [(kind, at) for kind, at in moved if at is not None]


def info_round_step(*, starts_at, open_days: int, now, hours: OfficeHours | None = None) -> str | None:
    """Which info-round message is due for a session now, if any (the latest step only)."""
    if now >= starts_at:
        return None
    due = [kind for kind, at in info_round_steps(starts_at=starts_at, open_days=open_days, hours=hours) if now >= at]
    return due[-1] if due else None


def info_rounds_due(now: datetime.datetime) -> list[DueRow]:
    planned = list(
        Session.objects.filter(
            status=Session.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(days=INFO_ROUND_MAX_OPEN_DAYS),
        )
        .values_list(
            "pk",
            "series_id",
            "starts_at",
            "series__info_round_open_days",
            "series__office_hours_start",
            "series__office_hours_end",
        )
        .order_by()
    )
    if not planned:
        return []
    # The office hours cover every day a step may have been due on (from the
    # earliest opening) up to the last start; absences from today on.
    today = brussels_date(now)
    last_day = max(brussels_date(s[2]) for s in planned)
    first_day = today - datetime.timedelta(days=INFO_ROUND_MAX_OPEN_DAYS)
    hours = series_office_hours({s[1]: (s[4], s[5]) for s in planned}, first_day, last_day)
    sessions = [
        (pk, series_id, brussels_date(starts_at), step)
        for pk, series_id, starts_at, open_days, _opens, _closes in planned
        if (step := info_round_step(starts_at=starts_at, open_days=open_days, now=now, hours=hours[series_id]))
    ]
    if not sessions:
        return []
    operators = participating_operators({s[1] for s in sessions})
    members = member_ids_by_operator({op for ops in operators.values() for op in ops})
    absences = absence_book(today, last_day, operator_ids={op for ops in operators.values() for op in ops})
    submitted = set(
        InfoRoundEntry.objects.filter(
            session_id__in=[s[0] for s in sessions], status=InfoRoundEntry.Status.SUBMITTED
        ).values_list("session_id", "operator_id")
    )
    rows = []
    for pk, series_id, session_day, step in sessions:
        for operator_id in operators.get(series_id, ()):
            if (pk, operator_id) in submitted:
                continue
            chased = absences.recipients(
                operator_id=operator_id, members=members.get(operator_id, ()), session_day=session_day, today=today
            )
            rows.extend(due_row(user_id, step, SESSION, pk, "", now) for user_id in chased)
    return rows


def minutes_due(now: datetime.datetime) -> list[DueRow]:
    published = list(
        Minutes.objects.filter(status=Minutes.Status.PUBLISHED, published_at__gte=now - RECENT)
        .values_list("pk", "session__series_id")
        .order_by()
    )
    people = series_participants({m[1] for m in published})
    return [
        due_row(user_id, Kind.MINUTES_PUBLISHED, MINUTES, pk, "", now)
        for pk, series_id in published
        for user_id in people.get(series_id, ())
    ]


def _action_owners(actions) -> dict[int, set[int]]:
    members = member_ids_by_operator({a[1] for a in actions if a[2] is None})
    active = set(
        get_user_model()
        .objects.filter(pk__in={a[2] for a in actions if a[2]}, is_active=True)
        .values_list("pk", flat=True)
    )
    owners = {}
    for pk, operator_id, user_id, _due in actions:
        owners[pk] = {user_id} & active if user_id else members.get(operator_id, set())
    return owners


def actions_due(now: datetime.datetime) -> list[DueRow]:
    today = timezone.localdate(now)
    actions = list(
        Action.objects.filter(
            status=Action.Status.OPEN,
            due_date__isnull=False,
            due_date__lte=today + datetime.timedelta(days=ACTION_DUE_SOON),
            due_date__gte=today - datetime.timedelta(weeks=OVERDUE_WEEKS),
        )
        .values_list("pk", "owner_operator_id", "owner_user_id", "due_date")
        .order_by()
    )
    owners = _action_owners(actions)
    rows = []
    for pk, _operator_id, _user_id, due in actions:
        if due >= today:
            kind, period = Kind.ACTION_DUE, ""
        else:
            kind, period = Kind.ACTION_OVERDUE, f"w{(today - due).days // 7}"
        rows.extend(due_row(user_id, kind, ACTION, pk, period, now) for user_id in owners[pk])
    return rows


def polls_due(now: datetime.datetime) -> list[DueRow]:
    open_polls = list(
        Poll.objects.filter(status=Poll.Status.OPEN, deadline__gt=now).values_list("pk", "series_id", "deadline")
    )
    closed = list(
        Poll.objects.filter(status=Poll.Status.CLOSED, closed_at__gte=now - RECENT).values_list("pk", "series_id")
    )
    operators = participating_operators({p[1] for p in open_polls})
    members = member_ids_by_operator({op for ops in operators.values() for op in ops})
    answered = set(
        PollAnswer.objects.filter(slot__poll_id__in=[p[0] for p in open_polls])
        .values_list("slot__poll_id", "operator_id")
        .distinct()
    )
    rows = []
    for pk, series_id, deadline in open_polls:
        remind = now >= deadline - POLL_REMINDER
        for operator_id in operators.get(series_id, ()):
            for user_id in members.get(operator_id, ()):
                rows.append(due_row(user_id, Kind.POLL_INVITATION, POLL, pk, "", now))
                if remind and (pk, operator_id) not in answered:
                    rows.append(due_row(user_id, Kind.POLL_REMINDER, POLL, pk, "", now))
    people = series_participants({p[1] for p in closed})
    for pk, series_id in closed:
        rows.extend(due_row(user_id, Kind.POLL_RESULT, POLL, pk, "", now) for user_id in people.get(series_id, ()))
    return rows


def join_requests_due(now: datetime.datetime) -> list[DueRow]:
    requests = list(
        JoinRequest.objects.filter(
            Q(status=JoinRequest.Status.PENDING, created_at__gte=now - JOIN_REQUEST_WINDOW)
            | Q(
                status__in=[JoinRequest.Status.ACCEPTED, JoinRequest.Status.DECLINED],
                decided_at__gte=now - RECENT,
                requested_by__isnull=False,
                requested_by__is_active=True,
            )
        ).values_list("pk", "series_id", "status", "requested_by_id")
    )
    coordinators = series_coordinators({r[1] for r in requests if r[2] == JoinRequest.Status.PENDING})
    rows = []
    for pk, series_id, status, requester in requests:
        if status == JoinRequest.Status.PENDING:
            rows.extend(
                due_row(user_id, Kind.JOIN_REQUEST_RECEIVED, JOIN_REQUEST, pk, "", now)
                for user_id in coordinators.get(series_id, ())
            )
        else:
            rows.append(due_row(requester, Kind.JOIN_REQUEST_DECIDED, JOIN_REQUEST, pk, "", now))
    return rows


def charter_reminders_due(now: datetime.datetime) -> list[DueRow]:
    """One email per reminder to each person taking part (through an operator or in their
    own name) who has not accepted its version; never to the coordinators, who write the
    charter (6 queries)."""
    reminders = list(
        CharterReminder.objects.filter(
            created_at__gte=now - RECENT,
            version__charter__current_version=F("version"),
            version__charter__required=True,
        ).values_list("pk", "version_id", "version__charter__series_id")
    )
    if not reminders:
        return []
    series_ids = {r[2] for r in reminders}
    taking_part = series_participants(series_ids)  # coordinators included: taken out below
    coordinators = series_coordinators(series_ids)
    latest = {}  # (person, version): their latest word on it
    records = CharterAcceptance.objects.filter(version_id__in={r[1] for r in reminders}).order_by("at", "pk")
    for user_id, version_id, kind in records.values_list("user_id", "version_id", "kind"):
        latest[(user_id, version_id)] = kind
    rows = []
    for pk, version_id, series_id in reminders:
        for user_id in taking_part.get(series_id, set()) - coordinators.get(series_id, set()):
            if latest.get((user_id, version_id)) != CharterAcceptance.Kind.ACCEPTED:
                rows.append(due_row(user_id, Kind.CHARTER_REMINDER, CHARTER_REMINDER, pk, "", now))
    return rows


FINDERS = (
    sessions_due,
    info_rounds_due,
    minutes_due,
    actions_due,
    polls_due,
    join_requests_due,
    charter_reminders_due,
)
