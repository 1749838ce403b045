"""The hand-over of a help-desk request to a clinical concertation: with the
requester's agreement, the request becomes a proposed situation of a clinical
series (through clinical's own proposal service and its guard), and is closed
as "concertation organised" (through request_transition)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinical.models import Situation
from clinical.rules import may as clinical_may
from clinical.services import situation_propose
from core.services import audit_record
from meetings.models import Series

from ..models import HandOver, Outcome, Request, Status
from ..rules import may, require
from .requests import request_transition


def situation_prefill(request: Request) -> dict[str, str]:
    """The vignette drawn from the request: its situation, what was tried, the services involved."""
    return {"life_context": request.situation, "tried": request.tried, "services_other": request.services_involved}


@transaction.atomic
def request_hand_over_to_situation(
    *,
    actor,
    request: Request,
    series: Series,
    requester_agreed: bool,
    version: int,
    life_context: str,
    tried: str,
    question: str,
    services_other: str = "",
    age_range: str = "",
) -> Situation:
    """With the requester's agreement, propose the request's situation to the clinical
    `series` (the actor must be allowed to propose there by clinical's rules), close
    the request as "concertation organised" and record where it went. Guarantees:
    the vignette passes the guard (clinical's situation_propose) before anything is
    stored; a stale `version` stores nothing (RequestConflict)."""
    require(actor, "helpdesk.work_request", request)
    if request.handed_to_kind:
        raise ValidationError(_("This request was handed over already."))
    if request.status == Status.CLOSED:
        raise ValidationError(_("This request is closed."))
    errors = {}
    if not requester_agreed:
        errors["requester_agreed"] = [_("The requester must agree to the hand-over.")]
    if series.kind != Series.Kind.CLINICAL or not clinical_may(actor, "clinical.propose_situation", series):
        errors["series"] = [
            _(
                "You may not propose a situation to this series: choose a clinical concertation "
                "whose charter you accepted."
            )
        ]
    if errors:
        raise ValidationError(errors)
    situation = situation_propose(
        actor=actor,
        series=series,
        age_range=age_range,
        life_context=life_context.strip(),
        services_other=services_other.strip(),
        tried=tried.strip(),
        question=question.strip(),
    )
    request = request_transition(
        actor=actor,
        request=request,
        to=Status.CLOSED,
        version=version,
        outcome=Outcome.CONCERTATION,
        action="hand_over",
    )
    Request.objects.filter(pk=request.pk).update(
        handed_to_kind=HandOver.SITUATION,
        handed_to_id=str(situation.public_id),
        handed_to_label=series.name[:200],
        handed_to_url=reverse("clinical:situation", kwargs={"situation_id": situation.public_id}),
        handed_at=timezone.now(),
    )
    request.refresh_from_db()
    audit_record(actor=actor, action="helpdesk.hand_over", obj=request, detail={"situation": situation.pk})
    return situation


def hand_over_link(user, request: Request) -> str:
    """The path to where the request went, for this person: a situation's only when
    clinical's rules let them see it (else the page just names the series)."""
    if request.handed_to_kind == HandOver.SITUATION:
        situation = Situation.objects.select_related("series").filter(public_id=request.handed_to_id).first()
        return request.handed_to_url if clinical_may(user, "clinical.view_situation", situation) else ""
    return request.handed_to_url if may(user, "helpdesk.work_request", request) else ""
