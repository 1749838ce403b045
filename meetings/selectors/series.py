"""Reads of series: the series of a person, those they may ask to join, the series page."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import SimpleLazyObject

from accounts.selectors import user_operator_roles
from core.brussels import brussels_date
from operators.models import MembershipRole

from ..fragments import series_fragment_key
from ..fragments_series import series_facts
from ..models import Participation, Series, Session, SlotPoll
from .access import coordinated_series_ids, participating_series_ids
from .actions import series_action_counts
from .needs import BOARD_STAGES, FINAL_STAGES, series_need_counts
from .sessions import next_planned_session, session_rows, sessions_over, sessions_to_come

SESSIONS_SHOWN = 20
POLLS_SHOWN = 10


def series_for_user(user) -> QuerySet[Series]:
    """The series the person coordinates or takes part in ("my series")."""
    ids = coordinated_series_ids(user) | participating_series_ids(user)
    return Series.objects.filter(pk__in=ids).order_by("name")


def series_open_to_user(user) -> QuerySet[Series]:
    """Series the person could ask to join for one of the operators they are referent of."""
    referent_of = [op for op, role in user_operator_roles(user).items() if role == MembershipRole.REFERENT]
    if not referent_of:
        return Series.objects.none()
    taken_by_all = Participation.objects.filter(series=OuterRef("pk"), until__isnull=True, operator_id__in=referent_of)
    return (
        Series.objects.filter(open_to_requests=True)
        .exclude(pk__in=coordinated_series_ids(user))
        .annotate(has_all=Exists(taken_by_all))
        .filter(~Q(pk__in=participating_series_ids(user)) | Q(has_all=False))
        .order_by("name")
    )


@dataclass
class SeriesRitual:
    """The counts of the series' needs and actions."""

    need_stages: list[tuple[str, str, int]]  # (stage, label, count) of the board's stages
    needs_ended: int  # closed or dropped
    actions: dict  # {"open": n, "overdue": n}


@dataclass
class SeriesPeople:
    """Who runs the series and who takes part."""

    coordinators: list
    organisations: list
    participations: list[Participation]  # taking part now, with their operator


@dataclass
class SeriesPage:
    """Everything the series page shows. All of it but the feed's address is
    a cached fragment (meetings.fragments): what it shows is read only when
    the page renders it, that is when its key is not in the cache (the lazy
    fields); what its key varies by is read each time, from the cache
    (meetings.fragments_series) or the person's facts kept for the request."""

    series: Series
    is_coordinator: bool
    upcoming: list[Session]  # lazy: the SESSIONS_SHOWN next, as session_rows
    past: list[Session]  # lazy: the SESSIONS_SHOWN latest, as session_rows
    next_planned: Session | None  # lazy: the first planned one of `upcoming`
    ritual: SeriesRitual  # lazy
    people: SeriesPeople  # lazy
    polls: list[SlotPoll]  # lazy
    pending_requests: int  # join requests waiting, for its coordinators (0 for the others)
    charter_signed: bool  # the person takes part under the series' charter, accepted
    # The fragment's key: the stamps of the series and of the directory, the language.
    key: str
    # It changes with time too: at the next moment the sessions change by themselves
    # (a "Join" button shows or goes, a session is over), and with the day (actions overdue).
    next_change: str
    today: datetime.date


def _upcoming(series: Series, now: datetime.datetime) -> list[Session]:
    sessions = Session.objects.filter(series=series).select_related("series", "host_operator")
    return session_rows(sessions_to_come(sessions, now).order_by("starts_at")[:SESSIONS_SHOWN], now)


def _past(series: Series, now: datetime.datetime) -> list[Session]:
    sessions = Session.objects.filter(series=series).select_related("series", "host_operator")
    # With their minutes (a join): the rows say which minutes are still provisional.
    past = session_rows(
        sessions_over(sessions, now).select_related("minutes").order_by("-starts_at")[:SESSIONS_SHOWN], now
    )
    for s in past:
        s.minutes_provisional = hasattr(s, "minutes") and s.minutes.provisional
    return past


def _ritual(series: Series, today: datetime.date) -> SeriesRitual:
    counts = series_need_counts(series=series)
    return SeriesRitual(
        need_stages=[(stage, stage.label, counts[stage]) for stage in BOARD_STAGES],
        needs_ended=sum(counts[stage] for stage in FINAL_STAGES),
        actions=series_action_counts(series=series, today=today),
    )


def _people(series: Series) -> SeriesPeople:
    return SeriesPeople(
        coordinators=list(series.coordinators.order_by("name")),
        organisations=list(series.organisations.order_by("name")),
        participations=list(series.participations.filter(until__isnull=True).select_related("operator")),
    )


def series_page(*, user, series: Series, now: datetime.datetime) -> SeriesPage:
    """The series page of `series` (already checked visible to `user`) at
    `now`: a fixed number of queries whatever the number of sessions,
    operators, polls, needs or actions (tests/meetings/test_series.py), fewer
    when its fragments are in the cache."""
    is_coordinator = user.has_perm("meetings.change_series", series)
    today = brussels_date(now)
    key = series_fragment_key("series", series.pk)
    facts = series_facts(f"{key}:facts", series.pk, now)
    upcoming = SimpleLazyObject(lambda: _upcoming(series, now))
    return SeriesPage(
        series=series,
        is_coordinator=is_coordinator,
        upcoming=upcoming,
        past=SimpleLazyObject(lambda: _past(series, now)),
        next_planned=SimpleLazyObject(lambda: next_planned_session(upcoming)),
        ritual=SimpleLazyObject(lambda: _ritual(series, today)),
        people=SimpleLazyObject(lambda: _people(series)),
        polls=SimpleLazyObject(lambda: list(SlotPoll.objects.filter(series=series)[:POLLS_SHOWN])),
        pending_requests=facts.pending_requests if is_coordinator else 0,
        # Whether the person takes part was read with the access for the participants (no query);
        # for the others (the coordinators), it is read only when the charter holds people back.
        charter_signed=facts.charter_gate and series.pk in participating_series_ids(user),
        key=key,
        next_change=facts.next_change,
        today=today,
    )
