"""Brussels wall time: where Carrefour's meetings happen, stored in UTC and
shown, scheduled and compared in Europe/Brussels (a 13:30 meeting stays 13:30
across the clock changes)."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import formats

BRUSSELS = ZoneInfo("Europe/Brussels")


def brussels_date(moment: datetime.datetime) -> datetime.date:
    """The Brussels calendar day of an aware moment."""
    return moment.astimezone(BRUSSELS).date()


def brussels_datetime_label(moment: datetime.datetime) -> str:
    """An aware moment as Brussels date and time, in the active language's DATETIME_FORMAT."""
    return formats.date_format(moment.astimezone(BRUSSELS), "DATETIME_FORMAT")
