import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import delivery, services
from accounts.delivery import invitation_send
from accounts.models import Invitation, User
from accounts.selectors import invitation_by_token
from core.models import AuditEvent
from operators.models import MembershipRole


def _token_from_mail() -> str:
    body = mail.outbox[-1].body
    return body.split("/accounts/invite/")[1].split("/")[0]


def test_coordinator_invites_and_the_email_holds_a_working_link(
    coordinator, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=coordinator, email=" Nora@Example.org ", name="Nora", operator=operator, role=MembershipRole.REFERENT
        )
    assert invitation.email == "nora@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nora@example.org"]
    assert "Canopée" in message.body
    token = _token_from_mail()
    assert invitation_by_token(token) == invitation
    invitation.refresh_from_db()
    assert invitation.token_hash != token  # only the hash is stored
    assert invitation.send_count == 1 and invitation.sent_at is not None
    assert invitation.status == Invitation.Status.PENDING
    assert AuditEvent.objects.filter(action="invitation.create", actor=coordinator).exists()


def test_sending_twice_sends_once(coordinator, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(actor=coordinator, email="x@example.org", operator=operator)
    assert invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_resend_gives_a_new_link_and_kills_the_old(coordinator, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(actor=coordinator, email="x@example.org", operator=operator)
    old = _token_from_mail()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=coordinator, invitation=invitation)
    new = _token_from_mail()
    assert old != new
    assert invitation_by_token(old) is None
    assert invitation_by_token(new) == invitation


def test_a_failed_send_is_given_back_for_a_retry(coordinator, operator, monkeypatch):
    invitation = services.invitation_create(actor=coordinator, email="x@example.org", operator=operator)

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(delivery, "email_send", broken)
    with pytest.raises(OSError):
        invitation_send(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.send_requested_at is not None and invitation.send_count == 0


def test_accept_creates_a_verified_account_and_membership(coordinator, operator):
    invitation = services.invitation_create(
        actor=coordinator, email="nora@example.org", operator=operator, role=MembershipRole.REFERENT
    )
    user = services.invitation_accept(
        invitation=invitation, name="Nora Nouvelle", password="Un mot de passe solide", language="en"
    )
    assert user.check_password("Un mot de passe solide")
    assert user.language == "en"
    assert EmailAddress.objects.get(user=user).verified
    assert operator.memberships.get(user=user).role == MembershipRole.REFERENT
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.accepted_by == user
    with pytest.raises(ValidationError):
        services.invitation_accept(
            invitation=invitation, name="Again", password="Un mot de passe solide", language="fr"
        )
    assert User.objects.filter(email="nora@example.org").count() == 1


def test_expired_and_revoked_invitations_cannot_be_accepted(coordinator, operator):
    expired = services.invitation_create(actor=coordinator, email="a@example.org", operator=operator)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    revoked = services.invitation_create(actor=coordinator, email="b@example.org", operator=operator)
    services.invitation_revoke(actor=coordinator, invitation=revoked)
    for invitation in (expired, revoked):
        with pytest.raises(ValidationError):
            services.invitation_accept(
                invitation=invitation, name="N", password="Un mot de passe solide", language="fr"
            )
    assert not User.objects.filter(email__in=["a@example.org", "b@example.org"]).exists()


def test_an_existing_person_is_added_at_once(coordinator, operator, other_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitation_create(actor=coordinator, email=other_member.email.upper(), operator=operator)
    assert result == other_member
    assert operator.memberships.filter(user=other_member).exists()
    assert not Invitation.objects.exists()
    assert mail.outbox[0].to == [other_member.email]


def test_a_second_pending_invitation_is_refused(coordinator, operator):
    services.invitation_create(actor=coordinator, email="x@example.org", operator=operator)
    with pytest.raises(ValidationError):
        services.invitation_create(actor=coordinator, email="X@example.org", operator=operator)


def test_referent_invites_only_to_their_own_operator(referent, operator, other_operator):
    assert services.invitation_create(actor=referent, email="x@example.org", operator=operator)
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=referent, email="y@example.org", operator=other_operator)
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=referent, email="z@example.org", as_coordinator=True)


def test_member_cannot_invite(member, operator):
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=member, email="x@example.org", operator=operator)


def test_admin_invites_a_coordinator_without_operator(admin_user):
    invitation = services.invitation_create(actor=admin_user, email="coord@example.org", as_coordinator=True)
    user = services.invitation_accept(invitation=invitation, name="C", password="Un mot de passe solide", language="fr")
    assert user.has_perm("operators.add_operator")
