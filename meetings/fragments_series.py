"""What the series page reads once per version of a series and keeps in the
cache (meetings/selectors/series.py), and the writes that drop it.

Between two writes, the series page changes by itself only at a few moments:
a session's "Join" button shows from 15 minutes before its start until its
end (meetings.video.join_is_open), and a session leaves the upcoming ones
for the past ones once its end is past (selectors.sessions.sessions_to_come).
The fragments that show these are keyed by the next such moment
(`SeriesFacts.next_change`): the same for every request between two moments,
another after each.

Kept under a key that holds the stamp of the series (meetings.fragments):
when read, the moments after it up to a horizon, that horizon (the moment
the button of the last session read opens: the sessions not read start
after it, so no moment of theirs comes before it; it is always ahead of
the read, and past it the sessions are read again), all in microseconds
since the epoch; whether the series' charter holds people back; its join
requests waiting.

The charter, the join requests and the slot polls (the page shows them) are
not in the series' scope of meetings.fragments: `connect` drops it on their
writes too. Two writes send no signal and need nothing more: the charter's
draft is saved by an UPDATE, but only its `required` and `current_version`
count here, both saved; a poll is closed by an UPDATE, in the transaction
that sets the series' recurrence from it, which drops the scope
(services.polls.poll_close, tests/meetings/test_series_fragments.py).
"""

import bisect
import datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save

from core.fragments import TIMEOUT

from .fragments import series_changed
from .models import Charter, JoinRequest, Series, Session, SlotPoll
from .video import JOIN_OPENS_BEFORE

# Sessions read at a time: a year of a weekly series.
SESSIONS_READ = 50
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


class SeriesFacts(NamedTuple):
    next_change: str  # the next moment the page changes by itself ("never" when none is to come)
    charter_gate: bool  # its charter is required and a version is published (Charter.is_gate)
    pending_requests: int  # join requests waiting for a decision


def _micros(moment: datetime.datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


def _read(series_id, now: int) -> tuple:
    since = EPOCH + now * MICROSECOND
    sessions = Session.objects.filter(series_id=series_id, ends_at__gte=since).order_by("starts_at")
    limit = SESSIONS_READ
    while True:
        rows = list(sessions.values_list("starts_at", "ends_at")[:limit])
        horizon = _micros(rows[-1][0] - JOIN_OPENS_BEFORE) if len(rows) == limit else None
        # The horizon must be ahead: past it, read again. When the last session read has begun
        # (or opens within 15 minutes), read more.
        if horizon is None or horizon > now:
            break
        limit *= 2
    moments = set()
    for starts_at, ends_at in rows:
        # The button shows when now >= start - 15 min and goes when now >= end;
        # the session is over when now > end, that is now >= end + 1 µs.
        moments.update((_micros(starts_at - JOIN_OPENS_BEFORE), _micros(ends_at), _micros(ends_at) + 1))
    kept = tuple(sorted(m for m in moments if m > now and (horizon is None or m < horizon)))
    gate, pending = (
        Series.objects.filter(pk=series_id)
        .annotate(
            gate=Exists(Charter.objects.filter(series=OuterRef("pk"), required=True, current_version__isnull=False)),
            pending=Count("join_requests", filter=Q(join_requests__status=JoinRequest.Status.PENDING)),
        )
        .values_list("gate", "pending")
        .get()
    )
    return now, kept, horizon, gate, pending


def series_facts(key: str, series_id, now: datetime.datetime) -> SeriesFacts:
    """The facts of series `series_id` at `now`, kept under `key` (made with the stamp of the series)."""
    at = _micros(now)
    kept = cache.get(key)
    if kept is None or at < kept[0] or (kept[2] is not None and at >= kept[2]):
        kept = _read(series_id, at)
        cache.set(key, kept, TIMEOUT)
    _read_at, moments, horizon, gate, pending = kept
    # The first moment to come; past the last one read, the horizon (nothing changes before it).
    i = bisect.bisect_right(moments, at)
    last = "never" if horizon is None else str(horizon)
    return SeriesFacts(str(moments[i]) if i < len(moments) else last, gate, pending)


def _written(sender, instance, **kwargs):
    series_changed(instance.series_id)


def connect() -> None:
    """Drop the series' stamp on every write of its charter, join requests and slot polls (MeetingsConfig.ready)."""
    for model in (Charter, JoinRequest, SlotPoll):
        uid = f"fragments-series-{model.__name__}"
        post_save.connect(_written, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_written, sender=model, dispatch_uid=f"{uid}-delete")
