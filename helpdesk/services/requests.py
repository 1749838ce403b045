"""Writes on help-desk requests. `request_transition` owns the state machine:
every change of status, owner, outcome, deadline or hand-over goes through it,
with a conditional UPDATE on the request's version, so that two people acting
at once end with one change and a visible conflict for the other.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anonymisation.validators import guard_text
from core.permissions import require_perm
from core.services import audit_record
from core.tasks import email_send_later
from meetings.models import CooperationNeed, Series
from meetings.services.needs import need_raise
from operators.models import Operator, Territory

from .. import deadlines
from ..models import (
    ContactMade,
    ContactResult,
    HandOver,
    HelpDesk,
    HelpDeskMember,
    MessageKind,
    NeedKind,
    Outcome,
    Request,
    RequestAccess,
    RequestEvent,
    RequestMessage,
    Sector,
    Status,
)
from ..rules import require
from ..selectors.access import help_desk_bassin_ids

TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.TRIAGE, Status.ASSIGNED, Status.WAITING_REQUESTER, Status.CLOSED},
    Status.TRIAGE: {Status.ASSIGNED, Status.WAITING_REQUESTER, Status.CLOSED},
    Status.ASSIGNED: {Status.WAITING_REQUESTER, Status.WAITING_SERVICE, Status.CLOSED},
    Status.WAITING_REQUESTER: {Status.ASSIGNED, Status.WAITING_SERVICE, Status.CLOSED},
    Status.WAITING_SERVICE: {Status.ASSIGNED, Status.WAITING_REQUESTER, Status.CLOSED},
    Status.CLOSED: set(),
}
# The requester's only move: answering a question gives the request back to its owner.
REQUESTER_MOVES = {(Status.WAITING_REQUESTER, Status.ASSIGNED)}
OWNED = {Status.ASSIGNED, Status.WAITING_REQUESTER, Status.WAITING_SERVICE}
UNCHANGED = object()


class RequestConflict(Exception):
    """The request changed since the person loaded it: nothing was written."""

    def __init__(self, current: Request):
        super().__init__("request changed meanwhile")
        self.current = current


def help_desk_of(bassin: Territory) -> HelpDesk:
    """The bassin's help desk, with its default settings the first time."""
    desk, _created = HelpDesk.objects.get_or_create(bassin=bassin)
    return desk


def team_ids(bassin_id: int) -> list[int]:
    """The people of the bassin's help-desk team."""
    return list(HelpDeskMember.objects.filter(bassin_id=bassin_id).values_list("user_id", flat=True))


def _request_url(request: Request) -> str:
    return reverse("helpdesk:request", kwargs={"request_id": request.public_id})


def _tell_requester(request: Request, what: str) -> None:
    """An email to the requester that something changed: the bassin, the new status and a link, never a text."""
    requester = request.requester
    if requester is None or not requester.is_active:
        return
    email_send_later(
        template="helpdesk/request_changed",
        to=requester.email,
        language=requester.language,
        context={
            "bassin": request.bassin.name,
            "status": str(Status(request.status).label),
            "what": what,
            "path": _request_url(request),
        },
    )


@transaction.atomic
def request_submit(
    *,
    actor,
    bassin: Territory,
    sectors: list[str],
    situation: str,
    need: str,
    urgency: str,
    contact_preference: str,
    tried: str = "",
    services_involved: str = "",
    contact_phone: str = "",
    requester_operator: Operator | None = None,
) -> Request:
    """Submit a request to the bassin's help desk. Guarantees: the texts about the
    situation passed the anonymisation guard (the requester's own phone is theirs,
    not checked); at least one known sector; the first answer is due after the help
    desk's number of working days, counted for its whole team."""
    require_perm(actor, "helpdesk.submit_request", bassin)
    desk = help_desk_of(bassin)
    if not desk.is_open:
        raise ValidationError(_("This help desk does not take requests at the moment."))
    errors = {}
    for field, text in (("situation", situation), ("tried", tried), ("services_involved", services_involved)):
        try:
            guard_text(text)
        except ValidationError as exc:
            errors[field] = exc.error_list
    sectors = [s for s in dict.fromkeys(sectors) if s in Sector.values]
    if not sectors:
        errors["sectors"] = [_("Choose at least one sector.")]
    if not situation.strip():
        errors["situation"] = [_("Describe the situation.")]
    if need not in NeedKind.values:
        errors["need"] = [_("Choose what you need.")]
    if requester_operator is not None and not actor.memberships.filter(operator=requester_operator).exists():
        errors["requester_operator"] = [_("Choose one of your services.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    request = Request.objects.create(
        bassin=bassin,
        requester=actor,
        requester_operator=requester_operator,
        sectors=sectors,
        situation=situation.strip(),
        tried=tried.strip(),
        services_involved=services_involved.strip(),
        need=need,
        urgency=urgency,
        contact_preference=contact_preference,
        contact_phone=contact_phone.strip(),
        first_answer_due=deadlines.due_date(now, desk.first_answer_days, team_ids(bassin.pk)),
    )
    RequestEvent.objects.create(request=request, actor=actor, action="submitted", to_status=Status.NEW)
    audit_record(actor=actor, action="helpdesk.submit", obj=request, detail={"bassin": bassin.pk})
    return request


@transaction.atomic
def request_transition(
    *,
    actor,
    request: Request,
    to: str,
    version: int,
    owner=UNCHANGED,
    outcome: str = "",
    answered: bool = False,
    action: str = "",
) -> Request:
    """Move the request to `to` (the same status to change its owner or record an
    answer), as loaded at `version`. Guarantees: only the moves of TRANSITIONS, by
    the bassin's team (the requester only gives a request back by answering);
    an owned status has an owner of the team (the actor when none was named);
    closing needs an outcome; the first answer is stamped once; an open
    request gets a follow-up date in working days (the owner's absences
    count); RequestConflict when the request changed since `version`; the
    requester is told of a new status by an email without any text."""
    is_team = request.bassin_id in help_desk_bassin_ids(actor)
    is_requester = actor.is_authenticated and request.requester_id == actor.pk
    if not is_team and not (is_requester and (request.status, to) in REQUESTER_MOVES):
        raise PermissionDenied
    if to != request.status and to not in TRANSITIONS[request.status]:
        raise ValidationError(
            _("This request cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(request.status).label, "to": Status(to).label}
        )
    if to == Status.CLOSED and request.status == Status.CLOSED:
        raise ValidationError(_("This request is closed."))
    new_owner = request.owner if owner is UNCHANGED else owner
    if to in OWNED and new_owner is None:
        new_owner = actor if is_team else None
    if new_owner is not None and new_owner.pk not in team_ids(request.bassin_id):
        raise ValidationError({"owner": _("Choose a member of the help-desk team.")})
    if to == Status.CLOSED and outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    now = timezone.now()
    changes = {"status": to, "owner": new_owner, "version": F("version") + 1, "updated_at": now}
    if to == Status.CLOSED:
        changes |= {"outcome": outcome, "closed_at": now, "follow_up_on": None}
    else:
        desk = help_desk_of(request.bassin)
        people = [new_owner.pk] if new_owner is not None else team_ids(request.bassin_id)
        changes["follow_up_on"] = deadlines.due_date(now, desk.follow_up_days, people)
    if (answered or to == Status.CLOSED) and request.first_answered_at is None:
        changes["first_answered_at"] = now
    updated = Request.objects.filter(pk=request.pk, version=version, status=request.status).update(**changes)
    if not updated:
        raise RequestConflict(Request.objects.select_related("owner").get(pk=request.pk))
    before = request.status
    request.refresh_from_db()
    RequestEvent.objects.create(
        request=request, actor=actor, action=action or "status", from_status=before, to_status=to
    )
    audit_record(actor=actor, action=f"helpdesk.{action or 'status'}", obj=request, detail={"to": str(to)})
    if to != before:
        _tell_requester(request, "status")
    return request


def request_take(*, actor, request: Request, version: int) -> Request:
    """The actor takes the request: they own it, it is assigned. Two people taking it at
    once: the second gets a RequestConflict naming the owner."""
    return request_transition(
        actor=actor,
        request=request,
        to=Status.ASSIGNED if request.status in (Status.NEW, Status.TRIAGE) else request.status,
        version=version,
        owner=actor,
        action="take",
    )


def request_assign(*, actor, request: Request, owner, version: int) -> Request:
    """Give the request to `owner`, a member of the team (assign or reassign)."""
    to = Status.ASSIGNED if request.status in (Status.NEW, Status.TRIAGE) else request.status
    return request_transition(actor=actor, request=request, to=to, version=version, owner=owner, action="assign")


def request_close(*, actor, request: Request, outcome: str, version: int) -> Request:
    """Close the request with its outcome."""
    return request_transition(
        actor=actor, request=request, to=Status.CLOSED, version=version, outcome=outcome, action="close"
    )


def _guarded(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the message.")})
    try:
        guard_text(body)
    except ValidationError as exc:
        raise ValidationError({"body": exc.error_list}) from exc
    return body


@transaction.atomic
def message_post(*, actor, request: Request, kind: str, body: str, version: int | None = None) -> RequestMessage:
    """Post a message on the request. The team writes questions (the request then
    waits for the requester), messages (a first answer) and internal notes; the
    requester answers (the request goes back to its owner). Every text passes the
    anonymisation guard."""
    if request.status == Status.CLOSED:
        raise ValidationError(_("This request is closed."))
    version = request.version if version is None else version
    if kind == MessageKind.ANSWER:
        require(actor, "helpdesk.answer_request", request)
    elif kind in (MessageKind.QUESTION, MessageKind.MESSAGE, MessageKind.NOTE):
        require(actor, "helpdesk.work_request", request)
    else:
        raise ValidationError({"kind": _("Choose what you write.")})
    body = _guarded(body)
    if kind == MessageKind.QUESTION:
        request_transition(
            actor=actor, request=request, to=Status.WAITING_REQUESTER, version=version, answered=True, action="question"
        )
    elif kind == MessageKind.MESSAGE:
        to = request.status if request.status in OWNED else Status.ASSIGNED
        request_transition(actor=actor, request=request, to=to, version=version, answered=True, action="message")
        _tell_requester(request, "message")
    elif kind == MessageKind.ANSWER and request.status == Status.WAITING_REQUESTER:
        request_transition(actor=actor, request=request, to=Status.ASSIGNED, version=version, action="answer")
    return RequestMessage.objects.create(request=request, kind=kind, author=actor, body=body)


@transaction.atomic
def contact_record(*, actor, request: Request, operator: Operator, result: str, note: str = "") -> ContactMade:
    """Record a service the team contacted and the result; the note passes the guard."""
    require(actor, "helpdesk.work_request", request)
    if request.status == Status.CLOSED:
        raise ValidationError(_("This request is closed."))
    if result not in ContactResult.values:
        raise ValidationError({"result": _("Choose the result.")})
    note = (note or "").strip()
    if note:
        try:
            guard_text(note)
        except ValidationError as exc:
            raise ValidationError({"note": exc.error_list}) from exc
    contact = ContactMade.objects.create(request=request, operator=operator, result=result, note=note, made_by=actor)
    RequestEvent.objects.create(request=request, actor=actor, action="contact")
    audit_record(actor=actor, action="helpdesk.contact", obj=request, detail={"operator": operator.pk})
    return contact


@transaction.atomic
def request_hand_over_to_need(
    *, actor, request: Request, series: Series, operator: Operator, title: str, requester_agreed: bool, version: int
) -> CooperationNeed:
    """With the requester's agreement, raise a cooperation need of `series` from the
    request (its title only: the situation's text stays on the help desk), raised by
    `operator` (the actor's service, taking part in the series), and record where the
    request went. The title passes the guard."""
    require(actor, "helpdesk.work_request", request)
    if not requester_agreed:
        raise ValidationError({"requester_agreed": _("The requester must agree to the hand-over.")})
    if request.handed_to_kind:
        raise ValidationError(_("This request was handed over already."))
    try:
        guard_text(title)
    except ValidationError as exc:
        raise ValidationError({"title": exc.error_list}) from exc
    try:
        need = need_raise(actor=actor, series=series, operator=operator, title=title)
    except PermissionDenied as refused:
        raise ValidationError(
            {"series": _("You may not raise a cooperation need in this series for this service: choose another.")}
        ) from refused
    path = reverse("meetings:need_detail", kwargs={"need_id": need.public_id})
    updated = Request.objects.filter(pk=request.pk, version=version).update(
        handed_to_kind=HandOver.NEED,
        handed_to_id=str(need.public_id),
        handed_to_label=f"{series.name} — {need.title}"[:200],
        handed_to_url=path,
        handed_at=timezone.now(),
        version=F("version") + 1,
    )
    if not updated:
        raise RequestConflict(Request.objects.select_related("owner").get(pk=request.pk))
    request.refresh_from_db()
    RequestEvent.objects.create(request=request, actor=actor, action="hand_over")
    audit_record(actor=actor, action="helpdesk.hand_over", obj=request, detail={"need": need.pk})
    return need


def _months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    return moment - relativedelta(months=months)


def requests_purge(*, now: datetime.datetime | None = None) -> int:
    """Blank the situation's texts (and messages, notes, contact notes, the requester's
    phone) of requests closed more than their help desk's `purge_months` ago; the
    request, its sectors, dates, outcome and contacts stay for the figures. Safe to
    run twice. Returns how many requests were purged."""
    now = now or timezone.now()
    purged = 0
    for desk in HelpDesk.objects.all():
        cutoff = _months_before(now, desk.purge_months)
        with transaction.atomic():
            ids = list(
                Request.objects.filter(
                    bassin_id=desk.bassin_id, status=Status.CLOSED, closed_at__lt=cutoff, purged_at__isnull=True
                ).values_list("pk", flat=True)
            )
            if not ids:
                continue
            Request.objects.filter(pk__in=ids).update(
                situation="", tried="", services_involved="", contact_phone="", purged_at=now
            )
            RequestMessage.objects.filter(request_id__in=ids).update(body="")
            ContactMade.objects.filter(request_id__in=ids).update(note="")
            purged += len(ids)
    if purged:
        audit_record(actor=None, action="helpdesk.purge", detail={"requests": purged})
    return purged


def request_access_record(*, actor, request: Request, what: str = "view") -> None:
    """The access log: who opened (or exported) the request, and the audit trail."""
    RequestAccess.objects.create(request=request, user=actor)
    audit_record(actor=actor, action=f"helpdesk.request_{what}", obj=request)
