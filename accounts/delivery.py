"""Sending what the accounts ask to send: the invitation emails, from a worker.

`services` asks (a row marked to send, a task enqueued after commit); this
module does the sending, so that the task need not import the services.
"""

from django.urls import reverse
from django.utils import timezone

from core.emails import email_send

from .models import Invitation


def invitation_send(*, invitation_id: int) -> bool:
    """Send the invitation email once per request, with a fresh link.

    The pending request is claimed with a conditional UPDATE, so two workers
    (or a retried task) never send the same request twice. The secret token
    exists only in the email: the database keeps its hash.
    """
    claimed = Invitation.objects.filter(
        pk=invitation_id, send_requested_at__isnull=False, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(send_requested_at=None)
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("operator").get(pk=invitation_id)
    token, token_hash = Invitation.new_token()
    previous_hash = invitation.token_hash
    Invitation.objects.filter(pk=invitation_id).update(token_hash=token_hash)
    context = {
        "accept_url": reverse("accounts:invitation_accept", kwargs={"token": token}),
        "operator_name": str(invitation.operator) if invitation.operator else "",
        "as_coordinator": invitation.as_coordinator,
        "expires_at": invitation.expires_at,
    }
    try:
        email_send(template="invitation", to=invitation.email, language=invitation.language, context=context)
    except Exception:
        # Give the request back so that a retry sends it.
        Invitation.objects.filter(pk=invitation_id).update(token_hash=previous_hash, send_requested_at=timezone.now())
        raise
    now = timezone.now()
    Invitation.objects.filter(pk=invitation_id).update(sent_at=now, send_count=invitation.send_count + 1)
    return True
