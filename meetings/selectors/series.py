"""Reads of series: the series of a person, those they may ask to join, the series page."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.selectors import user_operator_roles
from core.brussels import brussels_date
from operators.models import MembershipRole

from ..models import JoinRequest, Participation, Series, Session, SlotPoll
from .access import charter_series_ids, coordinated_series_ids, participating_series_ids
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
class SeriesPage:
    """Everything the series page shows, read before it renders."""

    series: Series
    is_coordinator: bool
    coordinators: list
    organisations: list
    participations: list[Participation]  # taking part now, with their operator
    upcoming: list[Session]  # the SESSIONS_SHOWN next, as session_rows
    past: list[Session]  # the SESSIONS_SHOWN latest, as session_rows
    next_planned: Session | None  # the first planned one of `upcoming`
    polls: list[SlotPoll]
    pending_requests: int  # join requests waiting, for its coordinators (0 for the others)
    need_stages: list[tuple[str, str, int]]  # (stage, label, count) of the board's stages
    needs_ended: int  # closed or dropped
    actions: dict  # {"open": n, "overdue": n}
    charter_signed: bool  # the person takes part under the series' charter, accepted (read with the access)


def series_page(*, user, series: Series, now: datetime.datetime) -> SeriesPage:
    """The series page of `series` (already checked visible to `user`) at
    `now`: a fixed number of queries whatever the number of sessions,
    operators, polls, needs or actions (tests/meetings/test_series.py)."""
    is_coordinator = user.has_perm("meetings.change_series", series)
    sessions = Session.objects.filter(series=series).select_related("series", "host_operator")
    upcoming = session_rows(sessions_to_come(sessions, now).order_by("starts_at")[:SESSIONS_SHOWN], now)
    # With their minutes (a join): the rows say which minutes are still provisional.
    past = session_rows(
        sessions_over(sessions, now).select_related("minutes").order_by("-starts_at")[:SESSIONS_SHOWN], now
    )
    for s in past:
        s.minutes_provisional = hasattr(s, "minutes") and s.minutes.provisional
    counts = series_need_counts(series=series)
    pending = 0
    if is_coordinator:
        pending = series.join_requests.filter(status=JoinRequest.Status.PENDING).count()
    return SeriesPage(
        series=series,
        is_coordinator=is_coordinator,
        coordinators=list(series.coordinators.order_by("name")),
        organisations=list(series.organisations.order_by("name")),
        participations=list(series.participations.filter(until__isnull=True).select_related("operator")),
        upcoming=upcoming,
        past=past,
        next_planned=next_planned_session(upcoming),
        polls=list(SlotPoll.objects.filter(series=series).select_related("chosen_slot")[:POLLS_SHOWN]),
        pending_requests=pending,
        need_stages=[(stage, stage.label, counts[stage]) for stage in BOARD_STAGES],
        needs_ended=sum(counts[stage] for stage in FINAL_STAGES),
        actions=series_action_counts(series=series, today=brussels_date(now)),
        charter_signed=series.pk in participating_series_ids(user) and series.pk in charter_series_ids(user),
    )
