"""Helpers for the needs area's tests: sessions at given dates, a second participating operator."""

import datetime

from core.brussels import BRUSSELS
from meetings.models import Participation

from . import SessionFactory


def session_on(series, day: datetime.date, hour: int = 13, minutes: int = 30, **kwargs):
    """A session of `series` on `day` at `hour`:`minutes` Brussels time, lasting one hour."""
    starts = datetime.datetime.combine(day, datetime.time(hour, minutes), tzinfo=BRUSSELS)
    return SessionFactory(series=series, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1), **kwargs)


def take_part(series, operator, since=datetime.date(2020, 9, 1)):
    return Participation.objects.create(series=series, operator=operator, since=since)
