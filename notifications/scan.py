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

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Notification
from .registry import finders, kind_get


def due_row(recipient_id: int, kind: str, object_type: str, object_id, period: str, now) -> Notification:
    """The (unsaved) row a finder returns: `kind` for one person about one object for one period."""
    return Notification(
        recipient_id=recipient_id,
        kind=kind,
        object_type=object_type,
        object_id=str(object_id),
        period=period,
        due_at=now,
    )


def _wanted(rows: list[Notification]) -> list[Notification]:
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
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)
