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

from django.db.models import Prefetch
from django.utils import timezone

from accounts.selectors import user_operator_roles

from .. import video
from ..models import Action, Decision, InfoRoundEntry, Minutes, NeedStageChange, Participation, Session
from ..selectors import coordinated_series_ids, participating_series_ids
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
    today = timezone.localdate(now)
    series_ids = coordinated_series_ids(user) | participating_series_ids(user)
    if not series_ids:
        return None
    operator_ids = list(user_operator_roles(user))

    minutes = list(
        Minutes.objects.filter(
            session__series_id__in=series_ids, status=Minutes.Status.PUBLISHED, published_at__gte=now - WEEK
        )
        .select_related("session__series")
        .defer("summary", "session__series__description")
        .prefetch_related(
            Prefetch("session__decisions", queryset=Decision.objects.order_by("created_at", "pk")),
            Prefetch("session__actions", queryset=Action.objects.select_related("owner_operator").order_by("pk")),
        )
        .order_by("published_at")
    )
    actions = list(
        Action.objects.filter(series_id__in=series_ids, owner_operator_id__in=operator_ids, status=Action.Status.OPEN)
        .select_related("series", "owner_operator")
        .defer("series__description", "owner_operator__description", "owner_operator__search_text")
        .order_by("due_date", "pk")
    )
    changes = list(
        NeedStageChange.objects.filter(need__series_id__in=series_ids, at__gte=now - WEEK)
        .exclude(from_stage="")
        .select_related("need__series")
        .defer("need__description", "need__series__description")
        .order_by("at", "pk")
    )
    coming = list(
        Session.objects.filter(series_id__in=series_ids, starts_at__gte=now, starts_at__lt=now + WEEK)
        .select_related("series")
        .defer("series__description")
        .order_by("starts_at", "pk")
    )
    info_rounds = _info_rounds(user=user, operator_ids=operator_ids, sessions=coming)
    capacity = capacity_digest_lines(series_ids=series_ids, now=now)
    if not (minutes or actions or changes or coming or capacity):
        return None
    return {
        "minutes": [_minutes_entry(m) for m in minutes],
        "actions": actions[:SHOWN],
        "more_actions": max(len(actions) - SHOWN, 0),
        "overdue_count": sum(1 for a in actions if a.due_date and a.due_date < today),
        "today": today,
        "changes": changes[-SHOWN:],
        "more_changes": max(len(changes) - SHOWN, 0),
        "sessions": [
            {"session": s, "session_url": session_url(s), "join_url": video.session_join_url(s)}
            for s in coming
            if s.status == Session.Status.PLANNED
        ],
        "info_rounds": info_rounds,
        "capacity": capacity,
    }


def _minutes_entry(minutes: Minutes) -> dict:
    decisions = list(minutes.session.decisions.all())
    actions = list(minutes.session.actions.all())
    return {
        "minutes": minutes,
        "session_url": session_url(minutes.session),
        "decisions": decisions[:SHOWN],
        "more_decisions": max(len(decisions) - SHOWN, 0),
        "actions": actions[:SHOWN],
        "more_actions": max(len(actions) - SHOWN, 0),
    }


def _info_rounds(*, user, operator_ids: list[int], sessions: list[Session]) -> list[dict]:
    """For each of the person's operators, its entry for the next session of each series it takes part in."""
    next_by_series = {}
    for s in sessions:
        if s.status == Session.Status.PLANNED:
            next_by_series.setdefault(s.series_id, s)
    if not next_by_series or not operator_ids:
        return []
    taking_part = list(
        Participation.objects.filter(
            series_id__in=next_by_series, operator_id__in=operator_ids, until__isnull=True
        ).select_related("operator")
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
            {
                "session": session,
                "operator": p.operator,
                "status": entry.status if entry else "",
                "session_url": session_url(session),
            }
        )
    return rows
