"""Decisions and action items recorded in a session.

An action stays open, and is carried onto the follow-up of every following
session of its series, until its owners or a coordinator close it (done or
dropped). A decision or an action linked to a cooperation need takes the
need up (see meetings.services.needs). Each function is atomic: when it
raises (ValidationError with field-keyed messages, PermissionDenied for the
wrong actor), nothing it touched is saved.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require_perm
from operators.models import Operator, OperatorMembership

from ..fragments import series_changed
from ..models import Action, AgendaItem, CooperationNeed, Decision, Participation, Session
from .needs import clean_text, need_refresh_stage

DECISION_MAX, DESCRIPTION_MAX, COMMENT_MAX = 2000, 1000, 500
CLOSED_STATUSES = (Action.Status.DONE, Action.Status.DROPPED)


def _check_links(session: Session, *, agenda_item=None, need=None, decision=None) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled: nothing can be recorded in it."))
    if agenda_item is not None and agenda_item.session_id != session.pk:
        raise ValidationError({"agenda_item": _("This item is not on the agenda of this session.")})
    if need is not None and need.series_id != session.series_id:
        raise ValidationError({"need": _("This need is not a need of this series.")})
    if decision is not None and decision.series_id != session.series_id:
        raise ValidationError({"decision": _("This decision is not a decision of this series.")})


@transaction.atomic
def decision_record(
    *,
    actor,
    session: Session,
    text: str,
    agenda_item: AgendaItem | None = None,
    need: CooperationNeed | None = None,
) -> Decision:
    """Record a decision taken in `session`.

    Guarantees: coordinators of the series only; a text of 1 to 2000
    characters (stripped); the agenda item is on this session's agenda and
    the need belongs to the series (it is then taken up); not in a
    cancelled session.
    """
    require_perm(actor, "meetings.change_series", session.series)
    text = clean_text(text, "text", DECISION_MAX, required=True)
    _check_links(session, agenda_item=agenda_item, need=need)
    decision = Decision.objects.create(
        series_id=session.series_id, session=session, agenda_item=agenda_item, text=text, need=need, created_by=actor
    )
    if need is not None:
        need_refresh_stage(need=need, actor=actor, session=session)
    return decision


@transaction.atomic
def action_record(
    *,
    actor,
    session: Session,
    description: str,
    owner_operator: Operator,
    owner_user=None,
    due_date: datetime.date | None = None,
    agenda_item: AgendaItem | None = None,
    need: CooperationNeed | None = None,
    decision: Decision | None = None,
) -> Action:
    """Record an action item decided in `session`; it is open until closed.

    Guarantees: coordinators of the series only; a description of 1 to 1000
    characters (stripped); the owner operator takes part in the series now,
    the owner person (optional) is a member of that operator; the due date
    is not before the session's date (Brussels); the agenda item is on this
    session's agenda, the need and the decision belong to the series (the
    need is then taken up); not in a cancelled session.
    """
    require_perm(actor, "meetings.change_series", session.series)
    description = clean_text(description, "description", DESCRIPTION_MAX, required=True)
    _check_links(session, agenda_item=agenda_item, need=need, decision=decision)
    if (
        owner_operator is None
        or not Participation.objects.filter(
            series_id=session.series_id, operator=owner_operator, until__isnull=True
        ).exists()
    ):
        raise ValidationError({"owner_operator": _("Choose an operator that takes part in this series.")})
    if (
        owner_user is not None
        and not OperatorMembership.objects.filter(operator=owner_operator, user=owner_user).exists()
    ):
        raise ValidationError({"owner_user": _("This person is not a member of the owner operator.")})
    if due_date is not None and due_date < timezone.localdate(session.starts_at):
        raise ValidationError({"due_date": _("The due date cannot be before the session.")})
    action = Action.objects.create(
        series_id=session.series_id,
        session=session,
        agenda_item=agenda_item,
        description=description,
        owner_operator=owner_operator,
        owner_user=owner_user,
        due_date=due_date,
        need=need,
        decision=decision,
        created_by=actor,
    )
    if need is not None:
        need_refresh_stage(need=need, actor=actor, session=session)
    return action


@transaction.atomic
def action_close(*, actor, action: Action, status: str, comment: str = "") -> Action:
    """Close an open action as done or dropped, with an optional comment.

    Guarantees: members of the owner operator, the owner person and the
    series' coordinators only; refuses an action already closed (even when
    someone closed it a moment ago); records who closed it and when.
    """
    require_perm(actor, "meetings.close_action", action)
    if status not in CLOSED_STATUSES:
        raise ValidationError({"status": _("Choose done or dropped.")})
    comment = clean_text(comment, "comment", COMMENT_MAX, required=False)
    now = timezone.now()
    # A conditional update: two people closing at once, only one wins.
    updated = Action.objects.filter(pk=action.pk, status=Action.Status.OPEN).update(
        status=status, closed_at=now, closed_by=actor, close_comment=comment
    )
    if not updated:
        raise ValidationError({"status": _("This action is already closed.")})
    series_changed(action.series_id)
    action.status, action.closed_at, action.closed_by, action.close_comment = status, now, actor, comment
    return action


@transaction.atomic
def action_reopen(*, actor, action: Action) -> Action:
    """Reopen a closed action: it is carried onto the following sessions again.

    Guarantees: coordinators of the series only; only a closed action; the
    closing (when, by whom, comment) is cleared.
    """
    require_perm(actor, "meetings.change_series", action.series)
    updated = (
        Action.objects.filter(pk=action.pk)
        .exclude(status=Action.Status.OPEN)
        .update(status=Action.Status.OPEN, closed_at=None, closed_by=None, close_comment="")
    )
    if not updated:
        raise ValidationError({"status": _("This action is open already.")})
    series_changed(action.series_id)
    action.status, action.closed_at, action.closed_by, action.close_comment = Action.Status.OPEN, None, None, ""
    return action
