"""Reads of the meetings app, one module per feature as in services/ and
views/: series, sessions, polls, agenda, inforound, live, minutes, actions,
needs, dashboard, charter; `access` (who sees which series and session, which
operators take part) is the one they all build on.

The access helpers other apps rely on are named here as well.
"""

from .access import coordinated_series_ids, participating_operator_ids, participating_series_ids, series_get_for_user

__all__ = ["coordinated_series_ids", "participating_operator_ids", "participating_series_ids", "series_get_for_user"]
