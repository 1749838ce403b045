"""Who may do what with series, sessions and polls. Deny by default.

Object-level permissions take the series as object.
"""

import rules

from accounts.rules import is_admin, is_coordinator

from .selectors import coordinated_series_ids, participating_series_ids


@rules.predicate
def is_series_coordinator(user, series):
    return series is not None and series.pk in coordinated_series_ids(user)


@rules.predicate
def is_series_participant(user, series):
    return series is not None and series.pk in participating_series_ids(user)


rules.add_perm("meetings.add_series", is_admin | is_coordinator)
rules.add_perm("meetings.view_series", is_admin | is_series_coordinator | is_series_participant)
rules.add_perm("meetings.change_series", is_admin | is_series_coordinator)
# Answer a slot poll, see the join link: operators taking part (any role).
rules.add_perm("meetings.take_part", is_series_participant)
