"""Reads of sessions: the sessions to come and over, their rows in a list,
who may host one, and the session page."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.functional import SimpleLazyObject

from operators.models import Operator

from .. import video
from ..fragments import series_fragment_key
from ..models import Minutes, Mode, Series, Session
from .access import coordinated_series_ids, participating_series_ids, session_get_for_user
from .actions import SessionFollowup, session_followup
from .agenda import AgendaSummary, session_agenda_summary
from .inforound import InfoRoundPanel, info_round_panel


def sessions_to_come(sessions: QuerySet[Session], now) -> QuerySet[Session]:
    """The sessions that are not over: their planned end is ahead and they were
    not held (ending the meeting marks it held, often before its planned end)."""
    return sessions.filter(ends_at__gte=now).exclude(status=Session.Status.HELD)


def sessions_over(sessions: QuerySet[Session], now) -> QuerySet[Session]:
    """The other sessions: past their planned end, or held."""
    return sessions.filter(Q(ends_at__lt=now) | Q(status=Session.Status.HELD))


def upcoming_sessions_for_user(user, *, now: datetime.datetime, limit: int = 5) -> list[Session]:
    """The next sessions of the person's series that are not over at `now` (cancelled ones included, marked)."""
    ids = coordinated_series_ids(user) | participating_series_ids(user)
    return list(
        sessions_to_come(Session.objects.filter(series_id__in=ids), now)
        .select_related("series", "host_operator")
        .order_by("starts_at")[:limit]
    )


def next_planned_session(sessions) -> Session | None:
    """The first planned session of an already ordered, already loaded list (no query)."""
    return next((s for s in sessions if s.status == Session.Status.PLANNED), None)


def host_candidates(series: Series):
    """Operators that may host a session: those taking part now and the coordinating organisations."""
    taking_part = Q(participations__series=series, participations__until__isnull=True)
    return Operator.objects.filter(taking_part | Q(coordinated_series=series)).distinct().order_by("name")


def session_rows(sessions, now: datetime.datetime) -> list[Session]:
    """The sessions of a list, each with what its row shows worked out once:
    day_label ("mardi 10 mars 2026", as |date:"l j F Y"), hours_label
    ("13:30–14:30"), mode_label, status_label, join_url and join_open.

    The date and time filters, get_FOO_display and the join_button tag cost
    about 0.3 ms a row in the template; this costs a tenth of that, the names
    of days, months and choices being translated once per list, not per row."""
    names: dict = {}

    def name(table, key):
        if (id(table), key) not in names:
            names[id(table), key] = str(table[key])
        return names[id(table), key]

    modes, statuses = dict(Mode.choices), dict(Session.Status.choices)
    rows = list(sessions)
    for s in rows:
        start, end = timezone.localtime(s.starts_at), timezone.localtime(s.ends_at)
        s.day_label = f"{name(WEEKDAYS, start.weekday())} {start.day} {name(MONTHS, start.month)} {start.year}"
        s.hours_label = f"{start:%H:%M}–{end:%H:%M}"
        s.mode_label, s.status_label = name(modes, s.mode), name(statuses, s.status)
        s.join_url = video.session_join_url(s)
        s.join_open = bool(s.join_url) and video.join_is_open(s, now)
    return rows


@dataclass
class SessionPage:
    """Everything the session page shows. The agenda and the follow-up are
    cached fragments (meetings.fragments): they are read only when the page
    renders them, that is when their key is not in the cache."""

    session: Session  # with its series, host, agenda template and minutes
    can_change: bool  # the person coordinates the series
    agenda: AgendaSummary  # lazy
    inforound: InfoRoundPanel | None  # None for a cancelled session
    followup: SessionFollowup  # lazy
    minutes: Minutes | None
    agenda_key: str
    followup_key: str


def session_page(*, user, public_id, now: datetime.datetime) -> SessionPage:
    """The session at `public_id` as `user` sees it at `now` (404 when they do
    not see it): a fixed number of queries whatever the number of items,
    actions, decisions, needs or operators (tests/meetings/test_sessions.py)."""
    session = session_get_for_user(user, public_id, related=("agenda_template", "minutes"))
    try:
        minutes = session.minutes
    except Minutes.DoesNotExist:
        minutes = None
    cancelled = session.status == Session.Status.CANCELLED
    can_change = user.has_perm("meetings.change_series", session.series)
    # The agenda differs only by the coordinators' links; the follow-up by
    # the actions the person may close (the coordinators: all of them).
    role = "coordinator" if can_change else f"person-{user.pk}"
    return SessionPage(
        session=session,
        can_change=can_change,
        agenda=SimpleLazyObject(lambda: session_agenda_summary(session=session)),
        inforound=None if cancelled else info_round_panel(user=user, session=session, now=now),
        followup=SimpleLazyObject(lambda: session_followup(user=user, session=session)),
        minutes=minutes,
        agenda_key=series_fragment_key("session-agenda", session.series_id, session.pk, can_change),
        followup_key=series_fragment_key("session-followup", session.series_id, session.pk, role),
    )
