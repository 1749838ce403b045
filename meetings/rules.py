"""Who may do what with series, sessions, polls and actions. Deny by default.

Object-level permissions take the series as object, except `close_action`
which takes the action.

The charter gate: `is_series_participant` holds only once the person has
accepted the current version of a required charter (see
selectors/access.py), so every permission built on it — view_series,
take_part… — waits for that acceptance; until then `is_held_by_charter` lets
them read the charter and accept it, nothing more.
"""

import rules

from accounts.rules import is_admin, is_coordinator, is_referent_somewhere
from accounts.selectors import user_coordinated_operator_ids, user_operator_roles

from .selectors.access import (
    charter_locked_series_ids,
    charter_series_ids,
    coordinated_series_ids,
    participating_series_ids,
)


@rules.predicate
def is_series_coordinator(user, series):
    return series is not None and series.pk in coordinated_series_ids(user)


@rules.predicate
def is_series_participant(user, series):
    return series is not None and series.pk in participating_series_ids(user)


@rules.predicate
def is_held_by_charter(user, series):
    """Takes part in the series, but has not accepted the current version of its charter."""
    return series is not None and series.pk in charter_locked_series_ids(user)


@rules.predicate
def may_ask_to_join(user, series):
    """A referent somewhere, before a series open to requests (the join request shows its charter)."""
    return series is not None and series.open_to_requests and is_referent_somewhere(user)


@rules.predicate
def coordinates_a_series(user):
    return bool(coordinated_series_ids(user))


@rules.predicate
def reaches_a_charter_series(user):
    """Takes part in a series whose charter is required, whether accepted yet or not."""
    return bool(charter_series_ids(user))


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
# The charter: everyone who takes part reads it (accepted or not), and accepts or withdraws;
# a referent may accept it while asking to join. Its coordinators write it (change_series).
rules.add_perm("meetings.read_charter", is_admin | is_series_coordinator | is_series_participant | is_held_by_charter)
rules.add_perm("meetings.accept_charter", is_series_participant | is_held_by_charter | may_ask_to_join)
# Who must sign in with a second factor (accounts.middleware.SecondFactorMiddleware):
# admins, coordinators, and everyone who reaches a series under a charter.
rules.add_perm(
    "meetings.need_second_factor", is_admin | is_coordinator | coordinates_a_series | reaches_a_charter_series
)
# Absences (object: the operator, the person, the absence).
rules.add_perm("meetings.declare_operator_absence", is_admin | speaks_for_operator)
rules.add_perm("meetings.declare_person_absence", is_self)
rules.add_perm("meetings.change_absence", is_admin | may_change_absence)
