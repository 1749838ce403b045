"""Numbers and dates as the reader's language writes them: "14 jours",
"14,5 jours", "75 %", "1 septembre 2020" in French; "14 days", "14.5 days",
"75%", "Sept. 1, 2020" in English.

One home for the pages (through the `format_tags` filters) and the exports
(which call these functions directly), so both always agree. Each function
writes in the active language, or in `language` when it is given.
"""

import contextlib
import datetime
import decimal

from django.utils import formats, timezone, translation
from django.utils.translation import ngettext, pgettext

MISSING = "—"


def _language(language: str | None):
    return translation.override(language) if language else contextlib.nullcontext()


def _as_date(value) -> datetime.date | None:
    """A date, a datetime (read in Brussels time) or an ISO string (as the indicators keep them)."""
    if not value:
        return None
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date()
    return value


def number(value, decimals: int = 1, *, language: str | None = None) -> str:
    """A number with at most `decimals` decimals, trailing zeros dropped:
    14.0 → "14", 14.5 → "14,5" (French) or "14.5" (English); None → "—"."""
    if value is None:
        return MISSING
    rounded = round(value, decimals)
    places = max(0, -decimal.Decimal(str(rounded)).normalize().as_tuple().exponent)  # 4.50 → 1, 14.0 → 0
    with _language(language):
        return formats.number_format(rounded, places, use_l10n=True)


def percent(ratio, *, language: str | None = None) -> str:
    """A ratio (0.75) as a whole percentage: "75 %" (French), "75%" (English); None → "—"."""
    if ratio is None:
        return MISSING
    with _language(language):
        return pgettext("percentage", "%(number)s%%") % {"number": number(round(ratio * 100), 0)}


def days(value, *, language: str | None = None) -> str:
    """A duration in days: "14 jours", "14,5 jours", "1 jour"; None → "—"."""
    if value is None:
        return MISSING
    # Plural rules count whole numbers: a fraction reads as a plural ("0,5 jours", "1.5 days").
    count = int(value) if value == int(value) else 2
    with _language(language):
        return ngettext("%(days)s day", "%(days)s days", count) % {"days": number(value)}


def day(value, *, language: str | None = None) -> str:
    """A date in words: "1 septembre 2020" (French), "Sept. 1, 2020" (English); nothing → ""."""
    date = _as_date(value)
    if date is None:
        return ""
    with _language(language):
        return formats.date_format(date, "DATE_FORMAT")


def day_of_month(value, *, language: str | None = None) -> str:
    """A date without its year, for short labels: "1 septembre", "September 1"."""
    date = _as_date(value)
    if date is None:
        return ""
    with _language(language):
        return formats.date_format(date, "MONTH_DAY_FORMAT")


def machine_datetime(value) -> str:
    """A moment for a `datetime` attribute: ISO 8601 in Brussels time to the
    second ("2020-09-01T13:30:00+02:00"); HTML allows at most milliseconds."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")
