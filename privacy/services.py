"""Writes of the privacy app that people ask for: a copy of their data, the
closing of their account."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import require_perm
from core.services import audit_record

from .erasure import account_erase
from .models import DataExport
from .tasks import data_export_task


def data_export_request(*, user) -> DataExport:
    """Ask for a copy of `user`'s data; a copy already on its way is reused.
    The task that builds it is sent once the row is saved."""
    pending = DataExport.objects.filter(
        user=user, status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]
    ).first()
    if pending:
        return pending
    export = DataExport.objects.create(user=user)
    audit_record(actor=user, action="data.export_request", obj=export)
    transaction.on_commit(lambda: data_export_task.delay(export.pk))
    return export


def account_close(*, user, actor, reason: str = "") -> None:
    """Close `user`'s account: by the person themselves, or by an
    administrator who gives a reason. See erasure.account_erase for what it
    guarantees (and the ValidationError of a series to hand over)."""
    if actor.pk != user.pk:
        require_perm(actor, "privacy.erase_person", user)
        if not reason.strip():
            raise ValidationError(_("Say why this account is closed: the reason goes to the audit trail."))
    account_erase(user=user, actor=actor, reason=reason)
