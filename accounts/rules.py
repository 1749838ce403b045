"""Who may do what with people and invitations. Deny by default."""

import rules

from operators.models import MembershipRole

from .selectors import operator_is_unattached, user_coordinated_operator_ids, user_is_coordinator, user_operator_roles


@rules.predicate
def is_admin(user):
    return user.is_authenticated and user.is_active and user.is_superuser


@rules.predicate
def is_coordinator(user):
    return user.is_active and user_is_coordinator(user)


@rules.predicate
def is_referent_somewhere(user):
    return MembershipRole.REFERENT in user_operator_roles(user).values()


@rules.predicate
def is_referent_of(user, operator):
    return operator is not None and user_operator_roles(user).get(operator.pk) == MembershipRole.REFERENT


@rules.predicate
def is_member_of(user, operator):
    return operator is not None and operator.pk in user_operator_roles(user)


@rules.predicate
def coordinates_a_series_of(user, operator):
    """The operator takes part now in a series the person coordinates."""
    return operator is not None and operator.pk in user_coordinated_operator_ids(user)


@rules.predicate
def is_unattached(user, operator):
    return operator is not None and operator_is_unattached(operator)


# Who may change an operator's team: its referents, admins, and a coordinator only for an
# operator of a series they coordinate (or a fresh entry nobody belongs to yet, to invite its
# first referent). Being a coordinator somewhere gives no hold on other operators: a team
# decides who reads what its series share. Nobody but an admin adds themselves (services).
may_manage_team = is_admin | is_referent_of | coordinates_a_series_of | (is_coordinator & is_unattached)

rules.add_perm("accounts.invite_people", is_admin | is_coordinator | is_referent_somewhere)
rules.add_perm("accounts.invite_to_operator", may_manage_team)
rules.add_perm("accounts.invite_coordinator", is_admin)
# Every invitation of the portal; others see those of the operators they manage.
rules.add_perm("accounts.list_invitations", is_admin)
