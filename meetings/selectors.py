"""Reads shared by every part of the meetings app: who sees which series."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.selectors import user_operator_roles
from operators.models import MembershipRole

from .models import Participation, Series, Session, SlotPoll


def coordinated_series_ids(user) -> set[int]:
    """Ids of the series the person coordinates (one query, cached on the user)."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_carrefour_coordinated"):
        user._carrefour_coordinated = set(user.coordinated_series.values_list("pk", flat=True))
    return user._carrefour_coordinated


def participating_series_ids(user) -> set[int]:
    """Ids of the series an operator of the person takes part in now (cached)."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_carrefour_participating"):
        operator_ids = list(user_operator_roles(user))
        user._carrefour_participating = set(
            Participation.objects.filter(operator_id__in=operator_ids, until__isnull=True).values_list(
                "series_id", flat=True
            )
        )
    return user._carrefour_participating


def participating_operator_ids(user, series: Series) -> list[int]:
    """The person's operators that take part in `series` now."""
    operator_ids = list(user_operator_roles(user))
    return list(
        Participation.objects.filter(series=series, operator_id__in=operator_ids, until__isnull=True).values_list(
            "operator_id", flat=True
        )
    )


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


def series_get_for_user(user, public_id, perm: str = "meetings.view_series") -> Series:
    """The series at `public_id` if the person may `perm` it; 404 otherwise.

    A series you are not part of does not exist for you: 404, not 403.
    """
    series = Series.objects.filter(public_id=public_id).first()
    if series is None or not user.has_perm(perm, series):
        raise Http404
    return series


def session_get_for_user(user, public_id, perm: str = "meetings.view_series") -> Session:
    session = Session.objects.select_related("series", "host_operator").filter(public_id=public_id).first()
    if session is None or not user.has_perm(perm, session.series):
        raise Http404
    return session


def poll_get_for_user(user, public_id, perm: str = "meetings.view_series") -> SlotPoll:
    poll = SlotPoll.objects.select_related("series", "chosen_slot").filter(public_id=public_id).first()
    if poll is None or not user.has_perm(perm, poll.series):
        raise Http404
    return poll


def sessions_to_come(sessions: QuerySet[Session], now) -> QuerySet[Session]:
    """The sessions that are not over: their planned end is ahead and they were
    not held (ending the meeting marks it held, often before its planned end)."""
    return sessions.filter(ends_at__gte=now).exclude(status=Session.Status.HELD)


def sessions_over(sessions: QuerySet[Session], now) -> QuerySet[Session]:
    """The other sessions: past their planned end, or held."""
    return sessions.filter(Q(ends_at__lt=now) | Q(status=Session.Status.HELD))


def upcoming_sessions_for_user(user, *, limit: int = 5) -> list[Session]:
    """The next sessions of the person's series that are not over (cancelled ones included, marked)."""
    ids = coordinated_series_ids(user) | participating_series_ids(user)
    return list(
        sessions_to_come(Session.objects.filter(series_id__in=ids), timezone.now())
        .select_related("series", "host_operator")
        .order_by("starts_at")[:limit]
    )
