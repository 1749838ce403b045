"""Writes on people and invitations."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record
from core.tasks import email_send_later
from operators.models import MembershipRole, Operator
from operators.services import membership_add

from .models import Invitation, User
from .tasks import invitation_send_task


def coordinators_group() -> Group:
    """The group of coordinators (settings.COORDINATORS_GROUP), made when missing."""
    group, _created = Group.objects.get_or_create(name=settings.COORDINATORS_GROUP)
    return group


def user_make_coordinator(*, user: User) -> None:
    user.groups.add(coordinators_group())


def user_update_profile(*, user: User, name: str, language: str) -> User:
    """Save the person's name and interface language."""
    user.name = name
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "language"])
    return user


def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def _is_own_address(actor: User, email: str) -> bool:
    """Whether `email` is the actor's sign-in address or one of their other addresses."""
    if actor.email.lower() == email:
        return True
    return EmailAddress.objects.filter(user=actor, email__iexact=email).exists()


def _request_send(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(send_requested_at=timezone.now())
    transaction.on_commit(lambda: invitation_send_task.delay(invitation.pk))


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    email: str,
    name: str = "",
    language: str = "fr",
    operator: Operator | None = None,
    role: str = MembershipRole.MEMBER,
    as_coordinator: bool = False,
) -> Invitation | User:
    """Invite a person to an operator (and/or as a coordinator).

    A person who already has an account is added at once and told so; the
    result is then that `User`. Otherwise an `Invitation` is created and its
    email is sent after commit. Raises PermissionDenied when the actor may
    not invite there, ValidationError when a pending invitation exists.
    """
    if as_coordinator and not actor.has_perm("accounts.invite_coordinator"):
        raise PermissionDenied
    if operator is not None and not actor.has_perm("accounts.invite_to_operator", operator):
        raise PermissionDenied
    if operator is None and not as_coordinator:
        raise ValidationError(_("Choose the operator the person will join."))
    email = email.strip().lower()
    if not actor.is_superuser and _is_own_address(actor, email):
        raise PermissionDenied(_("You cannot add yourself to a team: ask one of its referents."))

    existing = User.objects.filter(email__iexact=email, is_active=True).first()
    if existing is not None:
        if operator is not None:
            membership_add(actor=actor, operator=operator, user=existing, role=role)
        if as_coordinator:
            user_make_coordinator(user=existing)
            audit_record(actor=actor, action="coordinator.add", obj=existing)
        context = {"operator_name": str(operator) if operator else "", "as_coordinator": as_coordinator}
        email_send_later(template="added", to=existing.email, language=existing.language, context=context)
        return existing

    pending = Invitation.objects.pending().filter(email__iexact=email, operator=operator)
    if pending.exists():
        raise ValidationError(_("This person already has a pending invitation: re-send it from the list instead."))
    _token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=email,
        name=name,
        language=language,
        operator=operator,
        role=role if operator is not None else "",
        as_coordinator=as_coordinator,
        token_hash=token_hash,
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(actor=actor, action="invitation.create", obj=invitation)
    _request_send(invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation) -> Invitation:
    """Send a new link (the old one stops working) valid for the full period again."""
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation was already accepted or revoked."))
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.save(update_fields=["expires_at"])
    audit_record(actor=actor, action="invitation.resend", obj=invitation)
    _request_send(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """Make the invitation's link useless."""
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.send_requested_at = None
        invitation.save(update_fields=["revoked_at", "send_requested_at"])
        audit_record(actor=actor, action="invitation.revoke", obj=invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, name: str, password: str, language: str) -> User:
    """Create the invited person's account and give them their place.

    The email address counts as verified: the person followed a link sent
    to it. Raises ValidationError if the invitation is no longer pending or
    the address got an account meanwhile.
    """
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("operator").get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("This invitation is no longer valid."))
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account already exists for this address: sign in instead."))
    user = User.objects.create_user(email=invitation.email, password=password, name=name, language=language)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if invitation.operator is not None:
        membership_add(
            actor=user, operator=invitation.operator, user=user, role=invitation.role or MembershipRole.MEMBER
        )
    if invitation.as_coordinator:
        user_make_coordinator(user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=user, action="invitation.accept", obj=invitation)
    return user
