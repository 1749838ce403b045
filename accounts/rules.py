"""Who may do what with people and invitations. Deny by default."""

import rules

from operators.models import MembershipRole

from .selectors import user_is_coordinator, user_operator_roles


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


rules.add_perm("accounts.invite_people", is_admin | is_coordinator | is_referent_somewhere)
rules.add_perm("accounts.invite_to_operator", is_admin | is_coordinator | is_referent_of)
rules.add_perm("accounts.invite_coordinator", is_admin)
rules.add_perm("accounts.list_invitations", is_admin | is_coordinator)
