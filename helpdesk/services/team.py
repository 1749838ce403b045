"""The help-desk team of a bassin, kept by its coordination team and the admins."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.permissions import require_perm
from core.request_cache import forget
from core.services import audit_record
from operators.models import Territory

from ..models import HelpDesk, HelpDeskMember


def member_add(*, actor, bassin: Territory, user) -> HelpDeskMember:
    """Put `user` in the bassin's help-desk team (once)."""
    require_perm(actor, "helpdesk.manage_team", bassin)
    if not user.is_active:
        raise ValidationError({"user": _("This account is not active.")})
    member, _created = HelpDeskMember.objects.get_or_create(bassin=bassin, user=user, defaults={"added_by": actor})
    HelpDesk.objects.get_or_create(bassin=bassin)
    forget(user)
    audit_record(actor=actor, action="helpdesk.member_add", obj=member, detail={"bassin": bassin.pk})
    return member


def member_remove(*, actor, member: HelpDeskMember) -> None:
    """Take a person out of the help-desk team (the requests they own keep their owner until reassigned)."""
    require_perm(actor, "helpdesk.manage_team", member.bassin)
    audit_record(actor=actor, action="helpdesk.member_remove", obj=member, detail={"bassin": member.bassin_id})
    member.delete()
