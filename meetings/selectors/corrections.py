"""Reads of minutes approved at the next session: the corrections proposed,
and the approval items of a live session (services/corrections.py says the rules)."""

from dataclasses import dataclass

from ..models import AgendaItem, AgendaItemKind, Minutes, MinutesCorrection


def minutes_corrections_for(*, user, minutes: Minutes, can_change: bool) -> list[MinutesCorrection]:
    """Coordinators see every correction; the others theirs and those accepted (one query)."""
    qs = minutes.corrections.select_related("agenda_item", "author", "decided_by")
    if not can_change:
        qs = qs.filter(author=user) | qs.filter(status=MinutesCorrection.Status.ACCEPTED)
    return list(qs.order_by("created_at", "pk"))


@dataclass
class Approval:
    """An approval item of a session, the minutes it approves and the corrections proposed to them."""

    item: AgendaItem
    minutes: Minutes
    corrections: list[MinutesCorrection]


def minutes_approvals(items: list[AgendaItem]) -> list[Approval]:
    """The approval items among a session's `items` (none: no query; else two)."""
    pending = [i for i in items if i.kind == AgendaItemKind.MINUTES_APPROVAL and i.minutes_to_approve_id]
    if not pending:
        return []
    minutes = {
        m.pk: m
        for m in Minutes.objects.filter(pk__in=[i.minutes_to_approve_id for i in pending]).select_related("session")
    }
    corrections: dict[int, list] = {pk: [] for pk in minutes}
    for c in (
        MinutesCorrection.objects.filter(minutes_id__in=minutes)
        .select_related("agenda_item", "author")
        .order_by("created_at", "pk")
    ):
        corrections[c.minutes_id].append(c)
    return [Approval(i, minutes[i.minutes_to_approve_id], corrections[i.minutes_to_approve_id]) for i in pending]
