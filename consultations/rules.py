"""Who may do what with consultations. Deny by default.

Object: the series (`manage_series`, `view_series` of meetings) or the session
(`contribute`); a contribution for `change_contribution` (its author's).
Whether the collection is open is a state the services check, not a right.
"""

import rules

from accounts.rules import is_admin
from meetings.rules import is_series_coordinator, is_series_participant
from meetings.selectors.access import registered_session_ids


@rules.predicate
def takes_part_in_session(user, session):
    """A participant of the session's series, or registered to that session."""
    if session is None or not user.is_authenticated:
        return False
    return is_series_participant(user, session.series) or session.pk in registered_session_ids(user)


@rules.predicate
def coordinates_session_series(user, session):
    return session is not None and is_series_coordinator(user, session.series)


@rules.predicate
def is_author(user, contribution):
    return contribution is not None and user.is_authenticated and contribution.author_id == user.pk


rules.add_perm("consultations.manage_series", is_admin | is_series_coordinator)
rules.add_perm("consultations.manage_session", is_admin | coordinates_session_series)
rules.add_perm("consultations.contribute", takes_part_in_session)
rules.add_perm("consultations.change_contribution", is_author)
