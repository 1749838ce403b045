"""What the weekly digest (notifications/digest.py) shows of the meetings.

What it holds (the week before `now`, and the week after for sessions):
the minutes published (with their decisions and new actions), the open and
overdue actions of the person's operators, the needs that changed stage,
the info-round status of each of their operators for the next session, the
sessions to come with their join links, and one line per series on the
operators saturated this week (counts only). Nothing clinical, no info-round
answers, no notes. A fixed number of queries whatever the number of series.
"""

import datetime
from collections import defaultdict

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from operators.models import OperatorMembership

from .. import video
from ..models import (
    Action,
    Decision,
    InfoRoundEntry,
    Minutes,
    NeedStage,
    NeedStageChange,
    Participation,
    Series,
    Session,
)
from ..selectors.capacity import capacity_digest_lines
from .content import session_url

WEEK = datetime.timedelta(days=7)
# An email is read, not searched: each list shows its first items and says
# how many more the portal holds.
SHOWN = 8


def meetings_digest(*, user, now: datetime.datetime) -> dict | None:
    """The meetings' section of the digest of `user` at `now`, or None when there is nothing to say.

    Shown through emails/notify/_digest_meetings.{txt,html}.
    """
    return meetings_digest_many(users=[user], now=now)[user.pk]


def _people_series(users) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """{person: their operators (any role)} and {person: the series they coordinate or take part in} (three queries)."""
    ids = [u.pk for u in users]
    operators: dict[int, set[int]] = defaultdict(set)
    for user_id, operator_id in OperatorMembership.objects.filter(user_id__in=ids).values_list(
        "user_id", "operator_id"
    ):
        operators[user_id].add(operator_id)
    series: dict[int, set[int]] = defaultdict(set)
    for user_id, series_id in Series.coordinators.through.objects.filter(user_id__in=ids).values_list(
        "user_id", "series_id"
    ):
        series[user_id].add(series_id)
    all_operators = set().union(*operators.values()) if operators else set()
    taking_part: dict[int, set[int]] = defaultdict(set)
    for operator_id, series_id in Participation.objects.filter(
        operator_id__in=all_operators, until__isnull=True
    ).values_list("operator_id", "series_id"):
        taking_part[operator_id].add(series_id)
    for user_id, ops in operators.items():
        for operator_id in ops:
            series[user_id] |= taking_part[operator_id]
    return operators, series


def meetings_digest_many(*, users, now: datetime.datetime) -> dict[int, dict | None]:
    """The meetings' section of the digest of each of `users` at `now` (None
    for those with nothing to say). A fixed number of queries for the whole
    batch, whatever its size: what belongs to a series (its minutes, its
    needs that moved, its sessions) is read once for all its members, and
    the entries of each list are shared by every digest that shows them."""
    today = timezone.localdate(now)
    operators, series = _people_series(users)
    all_series = set().union(*series.values()) if series else set()
    all_operators = set().union(*operators.values()) if operators else set()
    found: dict[int, dict | None] = {u.pk: None for u in users}
    if not all_series:
        return found

    minutes_by_series = defaultdict(list)
    for m in (
        Minutes.objects.filter(
            session__series_id__in=all_series, status=Minutes.Status.PUBLISHED, published_at__gte=now - WEEK
        )
        .select_related("session__series")
        .defer("summary", "session__series__description")
        .prefetch_related(
            Prefetch("session__decisions", queryset=Decision.objects.order_by("created_at", "pk")),
            Prefetch("session__actions", queryset=Action.objects.select_related("owner_operator").order_by("pk")),
        )
        .order_by("published_at", "pk")
    ):
        minutes_by_series[m.session.series_id].append(_minutes_entry(m))
    actions = [
        SharedPart("meetings_action", action=action, today=today)
        for action in Action.objects.filter(
            series_id__in=all_series, owner_operator_id__in=all_operators, status=Action.Status.OPEN
        )
        .select_related("series", "owner_operator")
        .defer("series__description", "owner_operator__description", "owner_operator__search_text")
        .order_by("due_date", "pk")
    ]
    changes_by_series = defaultdict(list)
    for c in (
        NeedStageChange.objects.filter(need__series_id__in=all_series, at__gte=now - WEEK)
        .exclude(from_stage="")
        .select_related("need__series")
        .defer("need__description", "need__series__description")
        .order_by("at", "pk")
    ):
        changes_by_series[c.need.series_id].append(_change_entry(c))
    coming_by_series = defaultdict(list)
    for s in (
        Session.objects.filter(series_id__in=all_series, starts_at__gte=now, starts_at__lt=now + WEEK)
        .select_related("series")
        .defer("series__description")
        .order_by("starts_at", "pk")
    ):
        coming_by_series[s.series_id].append(s)
    coming = [s for rows in coming_by_series.values() for s in rows]
    next_by_series = _next_planned(coming)
    rounds = _info_rounds(operator_ids=all_operators, next_by_series=next_by_series)
    capacity = capacity_digest_lines(series_ids=all_series, now=now)  # counts only, shared by the series' people
    shown_sessions = {
        s.pk: SharedPart("meetings_session", session=s, session_url=session_url(s), join_url=video.session_join_url(s))
        for s in coming
        if s.status == Session.Status.PLANNED
    }

    for user in users:
        mine, ops = series.get(user.pk, set()), operators.get(user.pk, set())
        if not mine:
            continue
        minutes = sorted(
            (m for pk in mine for m in minutes_by_series[pk]),
            key=lambda m: (m["minutes"].published_at, m["minutes"].pk),
        )
        theirs = [a for a in actions if a["action"].series_id in mine and a["action"].owner_operator_id in ops]
        changes = sorted(
            (c for pk in mine for c in changes_by_series[pk]), key=lambda c: (c["change"].at, c["change"].pk)
        )
        sessions = sorted((s for pk in mine for s in coming_by_series[pk]), key=lambda s: (s.starts_at, s.pk))
        lines = [c for c in capacity if c.series.pk in mine]
        if not (minutes or theirs or changes or sessions or lines):
            continue
        found[user.pk] = {
            "minutes": minutes,
            "actions": theirs[:SHOWN],
            "more_actions": max(len(theirs) - SHOWN, 0),
            "overdue_count": sum(1 for a in theirs if a["action"].due_date and a["action"].due_date < today),
            "today": today,
            "changes": changes[-SHOWN:],
            "more_changes": max(len(changes) - SHOWN, 0),
            "sessions": [shown_sessions[s.pk] for s in sessions if s.pk in shown_sessions],
            "info_rounds": [r for r in rounds if r["series_id"] in mine and r["operator"].pk in ops],
            "capacity": lines,
        }
    return found


def _next_planned(sessions: list[Session]) -> dict[int, Session]:
    """The first planned session of each series among `sessions` (ordered by start)."""
    next_by_series = {}
    for s in sorted(sessions, key=lambda s: (s.starts_at, s.pk)):
        if s.status == Session.Status.PLANNED:
            next_by_series.setdefault(s.series_id, s)
    return next_by_series


class SharedPart(dict):
    """An entry of the digest that is the same for everyone who gets it (the
    minutes of a series' session, a session to come, a need that moved, an
    operator's action or info round): rendered once per language and format by
    `emails/notify/_digest_<template>.{txt,html}`, then shared by every digest
    of the batch that shows it (`{{ m.html }}`, `{{ m.text }}`)."""

    def __init__(self, template: str, **fields):
        super().__init__(fields)
        self.template = template
        self.rendered: dict[tuple[str, str], str] = {}

    def _render(self, fmt: str) -> str:
        key = (get_language() or "", fmt)
        if key not in self.rendered:
            self.rendered[key] = render_to_string(f"emails/notify/_digest_{self.template}.{fmt}", {"m": self})
        return self.rendered[key]

    @property
    def html(self) -> str:
        return mark_safe(self._render("html"))  # noqa: S308 - rendered by an autoescaping template

    @property
    def text(self) -> str:
        return self._render("txt")


def _change_entry(change: NeedStageChange) -> SharedPart:
    # Lazy labels: translated when the part is rendered, in the reader's language.
    return SharedPart(
        "meetings_change",
        change=change,
        need=change.need,
        from_label=NeedStage(change.from_stage).label,
        to_label=NeedStage(change.to_stage).label,
    )


def _minutes_entry(minutes: Minutes) -> SharedPart:
    decisions = list(minutes.session.decisions.all())
    actions = list(minutes.session.actions.all())
    return SharedPart(
        "meetings_minutes",
        minutes=minutes,
        session_url=session_url(minutes.session),
        decisions=decisions[:SHOWN],
        more_decisions=max(len(decisions) - SHOWN, 0),
        actions=actions[:SHOWN],
        more_actions=max(len(actions) - SHOWN, 0),
    )


def _info_rounds(*, operator_ids, next_by_series: dict[int, Session]) -> list[dict]:
    """For each of the operators, its entry for the next session of each series it takes part in (two queries)."""
    if not next_by_series or not operator_ids:
        return []
    taking_part = list(
        Participation.objects.filter(series_id__in=next_by_series, operator_id__in=operator_ids, until__isnull=True)
        .select_related("operator")
        .order_by("pk")
    )
    entries = {
        (e.session_id, e.operator_id): e
        for e in InfoRoundEntry.objects.filter(session__in=next_by_series.values(), operator_id__in=operator_ids).only(
            "session_id", "operator_id", "status", "is_late"
        )
    }
    rows = []
    for p in taking_part:
        session = next_by_series[p.series_id]
        entry = entries.get((session.pk, p.operator_id))
        rows.append(
            SharedPart(
                "meetings_round",
                series_id=p.series_id,
                session=session,
                operator=p.operator,
                status=entry.status if entry else "",
                session_url=session_url(session),
            )
        )
    return rows
