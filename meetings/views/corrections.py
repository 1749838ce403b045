"""Minutes approved at the next session: corrections proposed to provisional
minutes, and their approval ticked in the live session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms.corrections import ApprovalForm, CorrectionForm
from ..models import AgendaItem, AgendaItemKind, Minutes
from ..selectors.access import session_get_to_change
from ..selectors.corrections import minutes_approvals, minutes_corrections_for
from ..services.corrections import corrections_open, minutes_approving_session
from ..services.minutes import minutes_approve_at_session


def corrections_context(request, session, minutes: Minutes | None, can_change: bool, form=None) -> dict:
    """What the minutes page shows of the corrections (nothing for minutes that were never provisional)."""
    if minutes is None or not (minutes.provisional or minutes.approved_in_id):
        return {}
    is_open = corrections_open(minutes, timezone.now())
    return {
        "corrections": minutes_corrections_for(user=request.user, minutes=minutes, can_change=can_change),
        "corrections_open": is_open,
        "approving_session": minutes_approving_session(minutes) if minutes.provisional else minutes.approved_in,
        "correction_form": form or (CorrectionForm(session) if is_open else None),
    }


@login_required
@require_POST
def live_minutes_approve(request, session_id, item_id):
    session = session_get_to_change(request.user, session_id)
    item = get_object_or_404(AgendaItem, pk=item_id, session=session, kind=AgendaItemKind.MINUTES_APPROVAL)
    [approval] = minutes_approvals([item])
    form = ApprovalForm(approval.corrections, request.POST)
    if not form.is_valid():
        messages.error(request, _("Accept or decline each proposed correction first."))
        return redirect("meetings:session_live", session_id=session.public_id)
    try:
        minutes_approve_at_session(actor=request.user, item=item, decisions=form.decisions())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The minutes are approved."))
    return redirect("meetings:session_live", session_id=session.public_id)
