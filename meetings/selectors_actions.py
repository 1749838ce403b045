"""Reads of decisions and actions: the registers across series, the follow-up of a session."""

import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Window
from django.http import Http404
from django.utils import timezone

from operators.models import Operator

from .models import Action, Decision, Participation, Series, Session
from .selectors import coordinated_series_ids, participating_series_ids
from .services.actions import action_can_close


def register_series(user) -> QuerySet[Series]:
    """The series whose decisions and actions the person sees: those they
    coordinate or take part in; every series for admins."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Series.objects.order_by("name")
    return Series.objects.filter(pk__in=coordinated_series_ids(user) | participating_series_ids(user)).order_by("name")


def register_operators(user) -> QuerySet[Operator]:
    """The operators taking part (now or before) in the person's series: the choices of the operator filter."""
    taking_part = Participation.objects.filter(series__in=register_series(user)).values("operator_id")
    return Operator.objects.filter(pk__in=taking_part).order_by("name")


def actions_register(
    *,
    user,
    series: Series | None = None,
    operator: Operator | None = None,
    status: str = "",
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Action]:
    """The actions of the person's series, filtered; overdue means open with
    a due date before today (Brussels). Newest sessions first."""
    qs = Action.objects.filter(series__in=register_series(user))
    if series is not None:
        qs = qs.filter(series=series)
    if operator is not None:
        qs = qs.filter(owner_operator=operator)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=Action.Status.OPEN, due_date__lt=today or timezone.localdate())
    return qs.select_related("series", "session", "owner_operator", "owner_user", "closed_by").order_by(
        "-session__starts_at", "due_date", "pk"
    )


def register_page(qs: QuerySet, number, per_page: int) -> Page:
    """The page `number` of a register. The sort over joined rows (newest
    sessions first) runs on the ids alone, then the page's full rows are read
    by id: two queries (count, page), and no wide rows sorted."""
    page = Paginator(qs.values_list("pk", flat=True), per_page).get_page(number)
    page.object_list = qs.filter(pk__in=page.object_list)
    return page


def decisions_register(*, user, series: Series | None = None, operator: Operator | None = None) -> QuerySet[Decision]:
    """The decisions of the person's series, filtered; an operator's decisions
    are those giving it an action or about a need it raised. Newest first."""
    qs = Decision.objects.filter(series__in=register_series(user))
    if series is not None:
        qs = qs.filter(series=series)
    if operator is not None:
        theirs = Decision.objects.filter(Q(actions__owner_operator=operator) | Q(need__raised_by=operator))
        qs = qs.filter(pk__in=theirs.values("pk"))  # a subquery rather than DISTINCT: the page sorts ids alone
    return qs.select_related("series", "session", "need").order_by("-session__starts_at", "-created_at", "-pk")


FOLLOWUP_CAP = 15


def open_actions_for_session(*, session: Session, limit: int | None = FOLLOWUP_CAP) -> tuple[list[Action], int]:
    """The "follow-up of actions" of `session`: the actions recorded in an
    earlier session of its series that are open now, or were closed after
    this session started (so that a past session's follow-up stays true),
    soonest due first: the first `limit` of them and how many there are in
    all (one query: the total is a window count on each row)."""
    qs = (
        # session__series_id repeats series_id so that the sessions are read
        # through session_series_start_idx rather than all scanned.
        Action.objects.filter(series_id=session.series_id, session__series_id=session.series_id)
        .filter(session__starts_at__lt=session.starts_at)
        .filter(Q(status=Action.Status.OPEN) | Q(closed_at__gte=session.starts_at))
        .select_related("session", "owner_operator", "owner_user")
        .annotate(total=Window(Count("pk")))
        .order_by(F("due_date").asc(nulls_last=True), "session__starts_at", "pk")
    )
    actions = list(qs[:limit] if limit is not None else qs)
    return actions, (actions[0].total if actions else 0)


def session_records(*, session: Session) -> dict:
    """What `session` recorded: its decisions and actions."""
    decisions = list(session.decisions.select_related("need").order_by("created_at", "pk"))
    actions = list(session.actions.select_related("owner_operator", "owner_user", "need").order_by("created_at", "pk"))
    return {"decisions": decisions, "actions": actions}


def action_get_for_user(user, public_id) -> Action:
    """The action at `public_id` if the person sees its series or owns it; 404 otherwise."""
    action = (
        Action.objects.select_related("series", "session", "owner_operator", "owner_user", "closed_by")
        .filter(public_id=public_id)
        .first()
    )
    if action is None or not (user.has_perm("meetings.view_series", action.series) or action_can_close(user, action)):
        raise Http404
    return action


def series_action_counts(*, series: Series, today: datetime.date | None = None) -> dict:
    """Open and overdue actions of a series (one query)."""
    today = today or timezone.localdate()
    return series.actions.aggregate(
        open=Count("pk", filter=Q(status=Action.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Action.Status.OPEN, due_date__lt=today)),
    )
