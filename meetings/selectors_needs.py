"""Reads of cooperation needs: the convergence board, a need's page and
timeline, what changed since a date (dashboards), counts per series."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.selectors import user_operator_roles
from operators.models import Operator

from .models import CooperationNeed, NeedEndorsement, NeedMention, NeedStage, NeedStageChange, Series, Session, Theme
from .selectors import participating_operator_ids
from .selectors_actions import register_series

BOARD_STAGES = (NeedStage.EMERGING, NeedStage.STABILISED, NeedStage.CONVERGING, NeedStage.TAKEN_UP)
FINAL_STAGES = (NeedStage.CLOSED, NeedStage.DROPPED)


def _with_board_relations(qs: QuerySet[CooperationNeed]) -> QuerySet[CooperationNeed]:
    return qs.select_related("series", "raised_by").prefetch_related(
        "themes",
        "operators_concerned",
        Prefetch("endorsements", queryset=NeedEndorsement.objects.select_related("operator").order_by("created_at")),
    )


def needs_board(
    *, user, series: Series | None = None, theme: Theme | None = None, operator: Operator | None = None
) -> list[CooperationNeed]:
    """The needs of the person's series, filtered; an operator's needs are
    those it raised, endorsed or is concerned by. A fixed number of queries."""
    qs = CooperationNeed.objects.filter(series__in=register_series(user))
    if series is not None:
        qs = qs.filter(series=series)
    if theme is not None:
        qs = qs.filter(themes=theme)
    if operator is not None:
        qs = qs.filter(
            Q(raised_by=operator) | Q(endorsements__operator=operator) | Q(operators_concerned=operator)
        ).distinct()
    return list(_with_board_relations(qs).order_by("-stage_changed_at", "-pk"))


@dataclass
class ThemeGroup:
    theme: Theme | None
    needs: list


@dataclass
class StageColumn:
    stage: str
    label: str
    count: int
    groups: list[ThemeGroup]


def board_columns(needs: list[CooperationNeed]) -> tuple[list[StageColumn], StageColumn]:
    """The board's columns: one per open stage, needs grouped by their first
    theme (alphabetically; those without a theme last), and closed or dropped apart."""

    def column(stage, label, members):
        groups: dict = {}
        for need in members:
            themes = sorted(need.themes.all(), key=lambda t: t.name.lower())
            key = themes[0] if themes else None
            groups.setdefault(key, []).append(need)
        ordered = sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0].name.lower() if kv[0] else ""))
        return StageColumn(stage, label, len(members), [ThemeGroup(t, n) for t, n in ordered])

    columns = [column(s, s.label, [n for n in needs if n.stage == s]) for s in BOARD_STAGES]
    closed = column("closed", "", [n for n in needs if n.stage in FINAL_STAGES])
    return columns, closed


def board_themes(user) -> QuerySet[Theme]:
    """The themes used in the person's series: the choices of the theme filter."""
    used = CooperationNeed.objects.filter(series__in=register_series(user)).values("themes")
    return Theme.objects.filter(pk__in=used).order_by("name")


def need_get_for_user(user, public_id) -> CooperationNeed:
    """The need at `public_id` if the person sees its series; 404 otherwise."""
    need = _with_board_relations(CooperationNeed.objects.filter(public_id=public_id)).first()
    if need is None or not user.has_perm("meetings.view_series", need.series):
        raise Http404
    return need


def need_timeline(need: CooperationNeed) -> list[dict]:
    """Mentions, endorsements and stage changes of the need, oldest first (four queries)."""
    events = []
    for mention in need.mentions.select_related("session", "created_by"):
        events.append({"kind": "mention", "at": mention.created_at, "obj": mention})
    for endorsement in need.endorsements.all():  # prefetched with their operator
        events.append({"kind": "endorsement", "at": endorsement.created_at, "obj": endorsement})
    for change in need.stage_changes.select_related("by", "session"):
        events.append({"kind": "stage", "at": change.at, "obj": change})
    events.sort(key=lambda e: e["at"])
    return events


def need_links(need: CooperationNeed) -> dict:
    """The decisions and actions that took the need up, with their session."""
    return {
        "decisions": list(need.decisions.select_related("session").order_by("created_at")),
        "actions": list(need.actions.select_related("session", "owner_operator").order_by("created_at")),
    }


def need_endorsing_operators(user, need: CooperationNeed) -> list[Operator]:
    """The person's operators that may still say "nous aussi" to the need:
    taking part in its series, not its raiser, not endorsed yet."""
    if need.stage in FINAL_STAGES:
        return []
    done = {e.operator_id for e in need.endorsements.all()} | {need.raised_by_id}
    ids = [pk for pk in participating_operator_ids(user, need.series) if pk not in done]
    return list(Operator.objects.filter(pk__in=ids).order_by("name")) if ids else []


def need_raising_operators(user, series: Series) -> QuerySet[Operator]:
    """The operators the person may raise a need for in `series`: all those
    taking part for its coordinators, their own ones for the others."""
    taking_part = Operator.objects.filter(participations__series=series, participations__until__isnull=True)
    if not user.has_perm("meetings.change_series", series):
        taking_part = taking_part.filter(pk__in=list(user_operator_roles(user)))
    return taking_part.order_by("name").distinct()


def needs_changed_since(*, user, since: datetime.datetime) -> list[CooperationNeed]:
    """The needs of the person's series whose stage changed since `since`,
    latest first, each with its `recent_changes` (the changes since then,
    oldest first). A fixed number of queries."""
    changes = NeedStageChange.objects.filter(at__gte=since).select_related("by", "session").order_by("at", "pk")
    return list(
        CooperationNeed.objects.filter(series__in=register_series(user), stage_changed_at__gte=since)
        .select_related("series", "raised_by")
        .prefetch_related(Prefetch("stage_changes", queryset=changes, to_attr="recent_changes"))
        .order_by("-stage_changed_at", "-pk")
    )


def series_need_counts(*, series: Series) -> dict[str, int]:
    """{stage: number of needs} for every stage of the series (one query)."""
    counts = dict.fromkeys(NeedStage.values, 0)
    for row in series.needs.values("stage").annotate(n=Count("pk")).order_by():
        counts[row["stage"]] = row["n"]
    return counts


def session_mentions(*, session: Session) -> list[NeedMention]:
    """The needs mentioned in `session`, with the need."""
    return list(session.need_mentions.select_related("need", "need__raised_by").order_by("created_at", "pk"))
