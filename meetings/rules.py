"""Who may do what with series, sessions, polls and actions. Deny by default.

Object-level permissions take the series as object, except `close_action`
which takes the action.
"""

import rules

from accounts.rules import is_admin, is_coordinator
from accounts.selectors import user_coordinated_operator_ids, user_operator_roles

from .selectors.access import coordinated_series_ids, participating_series_ids


@rules.predicate
def is_series_coordinator(user, series):
    return series is not None and series.pk in coordinated_series_ids(user)


@rules.predicate
def is_series_participant(user, series):
    return series is not None and series.pk in participating_series_ids(user)


@rules.predicate
def owns_action(user, action):
    """The action's owner person, or a member (any role) of its owner operator."""
    if action is None or not user.is_authenticated:
        return False
    return action.owner_operator_id in user_operator_roles(user) or action.owner_user_id == user.pk


@rules.predicate
def coordinates_action_series(user, action):
    return action is not None and action.series_id in coordinated_series_ids(user)


@rules.predicate
def speaks_for_operator(user, operator):
    """A member (any role) of the operator, or a coordinator of a series it takes part in."""
    if operator is None or not user.is_authenticated:
        return False
    return operator.pk in user_operator_roles(user) or operator.pk in user_coordinated_operator_ids(user)


@rules.predicate
def is_self(user, person):
    return person is not None and user.is_authenticated and person.pk == user.pk


@rules.predicate
def may_change_absence(user, absence):
    """An operator's absence: who speaks for the operator; a person's: that person."""
    if absence is None:
        return False
    if absence.operator_id:
        return speaks_for_operator(user, absence.operator)
    return absence.user_id == user.pk


rules.add_perm("meetings.add_series", is_admin | is_coordinator)
rules.add_perm("meetings.view_series", is_admin | is_series_coordinator | is_series_participant)
rules.add_perm("meetings.change_series", is_admin | is_series_coordinator)
# Answer a slot poll, see the join link: operators taking part (any role).
rules.add_perm("meetings.take_part", is_series_participant)
# Close an action (done or dropped, with a comment): its owners and the series' coordinators.
rules.add_perm("meetings.close_action", is_admin | owns_action | coordinates_action_series)
# Absences (object: the operator, the person, the absence).
rules.add_perm("meetings.declare_operator_absence", is_admin | speaks_for_operator)
rules.add_perm("meetings.declare_person_absence", is_self)
rules.add_perm("meetings.change_absence", is_admin | may_change_absence)
