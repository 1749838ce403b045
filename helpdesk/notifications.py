"""The help desk's emails, registered with the notifications app.

- helpdesk_overdue: to the owner of an open request whose next step (the
  first answer, then the follow-up) is past; to the whole team while nobody
  owns it. Once per step: the period is the due date, so a new follow-up date
  makes a new reminder, and the daily scan never repeats one.
- helpdesk_chase: to the bassin's coordination team, once a request is
  overdue by the help desk's `chase_days` working days (public holidays do
  not count), once per step too.

A fixed number of queries, whatever the number of requests. The emails say
the bassin, the due date and a link: never a word of the situation.
"""

import datetime
from collections import defaultdict

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bassins.models import BassinMember, Team
from core.brussels import brussels_date
from core.links import absolute_url
from meetings.recurrence import public_holidays
from notifications.models import Notification
from notifications.registry import Kind, register_finder, register_kind
from notifications.scan import DueRow, due_row

from .deadlines import working_days_between
from .models import HelpDesk, HelpDeskMember, Request
from .selectors.access import help_desk_bassin_ids
from .selectors.requests import overdue_q

OBJECT_TYPE = Request._meta.label_lower


class HelpDeskKind(models.TextChoices):
    OVERDUE = "helpdesk_overdue", _("Help-desk request overdue")
    CHASE = "helpdesk_chase", _("Help-desk request overdue: the coordinator is told")


def help_desk_rows(now: datetime.datetime) -> list[DueRow]:
    """Reminders and chases due at `now` (four queries)."""
    today = brussels_date(now)
    overdue = list(
        Request.objects.filter(overdue_q(today)).values_list(
            "pk", "bassin_id", "owner_id", "first_answered_at", "first_answer_due", "follow_up_on"
        )
    )
    if not overdue:
        return []
    bassins = {row[1] for row in overdue}
    team, coordinators = defaultdict(list), defaultdict(list)
    for bassin_id, user_id in HelpDeskMember.objects.filter(bassin_id__in=bassins).values_list("bassin_id", "user_id"):
        team[bassin_id].append(user_id)
    for bassin_id, user_id in BassinMember.objects.filter(bassin_id__in=bassins, team=Team.COORDINATION).values_list(
        "bassin_id", "user_id"
    ):
        coordinators[bassin_id].append(user_id)
    chase_days = dict(HelpDesk.objects.filter(bassin_id__in=bassins).values_list("bassin_id", "chase_days"))
    earliest = min(row[4] if row[3] is None else row[5] for row in overdue)
    holidays = set(public_holidays(earliest, today))
    rows = []
    for pk, bassin_id, owner_id, answered_at, first_due, follow_up in overdue:
        due = first_due if answered_at is None else follow_up
        period = due.isoformat()
        for user_id in [owner_id] if owner_id else team[bassin_id]:
            rows.append(due_row(user_id, HelpDeskKind.OVERDUE, OBJECT_TYPE, pk, period, now))
        if working_days_between(due, today, holidays) >= chase_days.get(bassin_id, 2):
            for user_id in coordinators[bassin_id]:
                rows.append(due_row(user_id, HelpDeskKind.CHASE, OBJECT_TYPE, pk, period, now))
    return rows


def request_load(notification: Notification) -> Request | None:
    if notification.object_type != OBJECT_TYPE or not notification.object_id.isdigit():
        return None
    return Request.objects.select_related("bassin").filter(pk=int(notification.object_id)).first()


def request_build(notification: Notification, request: Request) -> dict | None:
    """The context of both emails, or None when the step was done meanwhile."""
    due = request.due_on
    if due is None or due.isoformat() != notification.period:
        return None
    if notification.kind == HelpDeskKind.OVERDUE:
        path = reverse("helpdesk:request", kwargs={"request_id": request.public_id})
    else:
        path = reverse("helpdesk:queue", kwargs={"slug": request.bassin.slug}) + "?overdue=1"
    return {
        "bassin": request.bassin,
        "due": due,
        "answered": request.first_answered_at is not None,
        "url": absolute_url(path),
    }


def request_reaches(user, request: Request) -> bool:
    """Still in the team (reminder), or still in the coordination team (chase)."""
    return (
        request.bassin_id in help_desk_bassin_ids(user)
        or BassinMember.objects.filter(bassin_id=request.bassin_id, user=user, team=Team.COORDINATION).exists()
    )


for _code in HelpDeskKind:
    register_kind(
        Kind(
            code=_code.value,
            label=_code.label,
            load=request_load,
            build=request_build,
            reaches=request_reaches,
            templates=f"emails/helpdesk/{_code.value}",
        )
    )
register_finder(help_desk_rows)
