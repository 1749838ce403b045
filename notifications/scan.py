"""The periodic scan: what is due now, as Notification rows.

`notifications_scan` runs every minute (Celery beat). It never sends: it
asks every registered finder (registry.py) for the rows due now, one per
(recipient, kind, object, period), leaves out those of kinds the recipient
turned off, and lets the database's unique constraint throw away those that
exist already, so running it twice, on two beats or after a crash changes
nothing. Each finder reads a bounded window of objects with a fixed number
of queries, whatever their number; when each kind is due is said where it
is registered (meetings/notifications/, evaluations/notifications.py,
digest.py).
"""

import datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Notification
from .registry import finders, kind_get


class DueRow(NamedTuple):
    """What a finder says is due: `kind` for one person about one object for
    one period. A plain tuple: a scan considers thousands every minute and
    makes Notification rows of the few that do not exist yet."""

    recipient_id: int
    kind: str
    object_type: str
    object_id: str
    period: str
    due_at: datetime.datetime


def due_row(recipient_id: int, kind: str, object_type: str, object_id, period: str, now) -> DueRow:
    """The row a finder returns: `kind` for one person about one object for one period."""
    return DueRow(recipient_id, kind, object_type, str(object_id), period, now)


def _wanted(rows: list[DueRow]) -> list[DueRow]:
    """Leave out the rows for people who turned that kind off, or who left."""
    prefs = dict(
        get_user_model()
        .objects.filter(pk__in={r.recipient_id for r in rows}, is_active=True)
        .values_list("pk", "notifications_off")
    )
    return [
        r
        for r in rows
        if r.recipient_id in prefs and (kind_get(r.kind).mandatory or r.kind not in (prefs[r.recipient_id] or ()))
    ]


def _new(rows: list[DueRow]) -> list[Notification]:
    """Leave out the rows that exist already (one query per kind of object).

    Once a row is made, every later scan finds it again for as long as its
    object is in a finder's window: asking which exist is far cheaper than
    inserting thousands of rows for the unique constraint to throw away."""
    by_type: dict[str, list[DueRow]] = {}
    for row in rows:
        by_type.setdefault(row.object_type, []).append(row)
    existing = set()
    for object_type, group in by_type.items():
        existing.update(
            Notification.objects.filter(
                object_type=object_type,
                object_id__in={r.object_id for r in group},
                kind__in={r.kind for r in group},
            ).values_list("recipient_id", "kind", "object_type", "object_id", "period")
        )
    return [
        Notification(
            recipient_id=r.recipient_id,
            kind=r.kind,
            object_type=r.object_type,
            object_id=r.object_id,
            period=r.period,
            due_at=r.due_at,
        )
        for r in rows
        if (r.recipient_id, r.kind, r.object_type, r.object_id, r.period) not in existing
    ]


def notifications_scan(*, now: datetime.datetime | None = None) -> int:
    """Make the rows of every notification due at `now`; return how many were considered.

    Guarantees: idempotent (the unique constraint drops what exists); only
    people who may receive a kind get a row; nothing is sent here.
    """
    now = now or timezone.now()
    rows = []
    for find in finders():
        rows.extend(find(now))
    rows = _wanted(rows)
    # The unique constraint still decides between two scans running at once.
    Notification.objects.bulk_create(_new(rows), ignore_conflicts=True, batch_size=1000)
    return len(rows)
