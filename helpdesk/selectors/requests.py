"""Reads of the help desk: the team's queue, a request's page, a person's requests.
Each runs a fixed number of queries, whatever the number of requests."""

import datetime
from dataclasses import dataclass, field

import rules
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.brussels import brussels_date
from operators.models import Territory

from ..models import OPEN_STATUSES, HelpDesk, HelpDeskMember, MessageKind, Request, Status


def overdue_q(today: datetime.date) -> Q:
    """Open requests whose next step (the first answer, then the follow-up) is past `today`."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(first_answered_at__isnull=True, first_answer_due__lt=today)
        | Q(first_answered_at__isnull=False, follow_up_on__lt=today)
    )


@dataclass
class QueueFilters:
    status: str = ""
    owner: str = ""  # "", "me", "none" or a user id
    overdue: bool = False


@dataclass
class Queue:
    bassin: Territory
    desk: HelpDesk
    requests: list[Request]
    team: list[HelpDeskMember]
    counts: dict[str, int]
    overdue_count: int
    today: datetime.date
    filters: QueueFilters = field(default_factory=QueueFilters)


def help_desk_get(bassin: Territory) -> HelpDesk:
    """The bassin's help-desk settings, or the defaults (unsaved) when an admin
    has set none: a read never writes."""
    return HelpDesk.objects.filter(bassin=bassin).first() or HelpDesk(bassin=bassin)


def queue_page(user, bassin: Territory, filters: QueueFilters) -> Queue:
    """The team's queue of the bassin: its requests as filtered, the counts by status
    and of overdue requests, the team (five queries)."""
    today = brussels_date(timezone.now())
    qs = Request.objects.filter(bassin=bassin)
    counts = dict.fromkeys(Status.values, 0)
    counts |= dict(qs.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    overdue_count = qs.filter(overdue_q(today)).count()
    if filters.status in Status.values:
        qs = qs.filter(status=filters.status)
    elif not filters.status:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if filters.owner == "me":
        qs = qs.filter(owner=user)
    elif filters.owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif filters.owner.isdigit():
        qs = qs.filter(owner_id=int(filters.owner))
    if filters.overdue:
        qs = qs.filter(overdue_q(today))
    requests = list(qs.select_related("owner", "requester_operator").order_by("first_answer_due", "created_at"))
    return Queue(
        bassin=bassin,
        desk=help_desk_get(bassin),
        requests=requests,
        team=list(HelpDeskMember.objects.filter(bassin=bassin).select_related("user").order_by("user__name")),
        counts=counts,
        overdue_count=overdue_count,
        today=today,
        filters=filters,
    )


@dataclass
class RequestPage:
    request: Request
    is_team: bool
    messages: list
    contacts: list
    events: list
    team: list
    accesses: list
    today: datetime.date


def request_page(user, request: Request) -> RequestPage:
    """What a request's page shows this person: the team sees the notes, contacts,
    history and access log; the requester the messages meant for them."""
    is_team = rules.has_perm("helpdesk.work_request", user, request)
    messages = request.messages.select_related("author")
    if not is_team:
        messages = messages.exclude(kind=MessageKind.NOTE)
    return RequestPage(
        request=request,
        is_team=is_team,
        messages=list(messages),
        contacts=list(request.contacts.select_related("operator", "made_by")) if is_team else [],
        events=list(request.events.select_related("actor")) if is_team else [],
        team=list(HelpDeskMember.objects.filter(bassin_id=request.bassin_id).select_related("user")) if is_team else [],
        accesses=list(request.accesses.select_related("user")[:20]) if is_team else [],
        today=brussels_date(timezone.now()),
    )


def requests_of(user) -> QuerySet[Request]:
    """The requests a person submitted, newest first."""
    return Request.objects.filter(requester=user).select_related("bassin", "owner").order_by("-created_at")


def help_desks_of(user) -> QuerySet[Territory]:
    """The bassins whose help-desk team the person is in."""
    return Territory.objects.filter(help_desk_members__user=user).order_by("name")
