"""Reads of decisions and actions: the registers across series, the follow-up of a session."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Window
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.brussels import brussels_date
from core.text import choice_labels
from operators.models import Operator

from ..fragments import register_fragment_key
from ..models import Action, Decision, NeedMention, NeedStage, Participation, Series, Session
from .access import register_series
from .needs import session_mentions


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


def action_register_page(*, user, filters: dict, number, per_page: int, query: str, today=None) -> tuple[Page, str]:
    """Page `number` of the person's action register, filtered, each row with
    `status_label`, `can_close` and `can_reopen`, read only when rendered; and
    the key of its cached fragment. The buttons depend on who looks, so the
    key is the person's, with the filters (`query`), the day (what is
    overdue) and the language; it changes with every write in their series."""
    today = today or timezone.localdate()

    def read() -> Page:
        page = register_page(actions_register(user=user, today=today, **filters), number, per_page)
        statuses = choice_labels(Action.Status.choices)
        for action in page:
            action.status_label = statuses[action.status]
            action.can_close = user.has_perm("meetings.close_action", action)
            action.can_reopen = user.has_perm("meetings.change_series", action.series)
        return page

    series_ids = register_series(user).values_list("pk", flat=True)
    return SimpleLazyObject(read), register_fragment_key(
        "action-register", series_ids, f"person-{user.pk}", query, today
    )


def decision_register_page(*, user, filters: dict, number, per_page: int, query: str) -> tuple[Page, str]:
    """Page `number` of the person's decision register, filtered, read only
    when rendered; and the key of its cached fragment: the same for everyone
    who sees the same series with the same filters (`query`) in a language."""
    page = SimpleLazyObject(lambda: register_page(decisions_register(user=user, **filters), number, per_page))
    series_ids = register_series(user).values_list("pk", flat=True)
    return page, register_fragment_key("decision-register", series_ids, query)


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


@dataclass
class SessionFollowup:
    """The "follow-up" of a session (its page and the live page): the actions
    carried from earlier sessions, capped, with their total; what the session
    recorded; the needs it mentioned. Each action has `can_close` (open, and
    the person may close it), `overdue` (open, due before the session's day)
    and `status_label`; each mentioned need has `stage_label`."""

    carried: list[Action]
    carried_total: int
    decisions: list[Decision]
    actions: list[Action]
    mentions: list[NeedMention]

    @property
    def carried_more(self) -> int:
        """The carried actions left off the list, one link away."""
        return self.carried_total - len(self.carried)


def session_followup(*, user, session: Session) -> SessionFollowup:
    """The follow-up of `session` for `user` (four queries whatever the number of actions)."""
    carried, carried_total = open_actions_for_session(session=session)
    decisions = list(session.decisions.select_related("need").order_by("created_at", "pk"))
    actions = list(session.actions.select_related("owner_operator", "owner_user", "need").order_by("created_at", "pk"))
    day = brussels_date(session.starts_at)
    statuses, stages = choice_labels(Action.Status.choices), choice_labels(NeedStage.choices)
    for action in [*carried, *actions]:
        is_open = action.status == Action.Status.OPEN
        action.can_close = is_open and user.has_perm("meetings.close_action", action)
        action.overdue = is_open and action.due_date is not None and action.due_date < day
        action.status_label = statuses[action.status]
    mentions = session_mentions(session=session)
    for mention in mentions:
        mention.need.stage_label = stages[mention.need.stage]
    return SessionFollowup(carried, carried_total, decisions, actions, mentions)


def action_get_for_user(user, public_id) -> Action:
    """The action at `public_id` if the person sees its series or owns it; 404 otherwise."""
    action = (
        Action.objects.select_related("series", "session", "owner_operator", "owner_user", "closed_by")
        .filter(public_id=public_id)
        .first()
    )
    if action is None or not (
        user.has_perm("meetings.view_series", action.series) or user.has_perm("meetings.close_action", action)
    ):
        raise Http404
    return action


def series_action_counts(*, series: Series, today: datetime.date | None = None) -> dict:
    """Open and overdue actions of a series (one query)."""
    today = today or timezone.localdate()
    return series.actions.aggregate(
        open=Count("pk", filter=Q(status=Action.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Action.Status.OPEN, due_date__lt=today)),
    )
