"""The evaluation's emails, registered with the notifications app.

`evaluation_rows(now)` is the scan's rule: an invitation once to each member
of each operator taking part while answers are collected, and a reminder
from REMINDER_BEFORE the deadline to the members of operators that have not
sent their answers. A fixed number of queries, whatever the number of
evaluations and operators.

`evaluation_context(notification)` is the context of both emails, or None
when there is nothing left to say (the questionnaire closed, or the
recipient's operators all answered meanwhile).
"""

import datetime

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.links import absolute_url
from meetings.notifications.audience import member_ids_by_operator, participating_operators
from meetings.selectors import participating_operator_ids
from notifications.models import Notification
from notifications.registry import Kind, register_finder, register_kind
from notifications.scan import DueRow, due_row

from .models import Evaluation, Response

REMINDER_BEFORE = datetime.timedelta(days=3)
OBJECT_TYPE = Evaluation._meta.label_lower


class EvaluationKind(models.TextChoices):
    EVALUATION_INVITATION = "evaluation_invitation", _("Evaluation invitation")
    EVALUATION_REMINDER = "evaluation_reminder", _("Evaluation reminder")


def evaluation_rows(now: datetime.datetime) -> list[DueRow]:
    """Invitations and reminders due at `now` (4 queries)."""
    evaluations = list(
        Evaluation.objects.filter(status=Evaluation.Status.COLLECTING).values_list("pk", "series_id", "answer_deadline")
    )
    if not evaluations:
        return []
    operators = participating_operators({e[1] for e in evaluations})
    members = member_ids_by_operator({op for ops in operators.values() for op in ops})
    answered = set(
        Response.objects.filter(
            evaluation_id__in=[e[0] for e in evaluations], status=Response.Status.SUBMITTED
        ).values_list("evaluation_id", "operator_id")
    )
    rows = []
    for pk, series_id, deadline in evaluations:
        remind = now >= deadline - REMINDER_BEFORE
        for operator_id in operators.get(series_id, ()):
            for user_id in members.get(operator_id, ()):
                rows.append(due_row(user_id, EvaluationKind.EVALUATION_INVITATION, OBJECT_TYPE, pk, "", now))
                if remind and (pk, operator_id) not in answered:
                    rows.append(due_row(user_id, EvaluationKind.EVALUATION_REMINDER, OBJECT_TYPE, pk, "", now))
    return rows


def evaluation_load(notification: Notification) -> Evaluation | None:
    if notification.object_type != OBJECT_TYPE or not notification.object_id.isdigit():
        return None
    return Evaluation.objects.select_related("series").filter(pk=int(notification.object_id)).first()


def evaluation_build(notification: Notification, evaluation: Evaluation) -> dict | None:
    if evaluation.status != Evaluation.Status.COLLECTING:
        return None
    taking_part = set(participating_operator_ids(notification.recipient, evaluation.series))
    answered = set(
        Response.objects.filter(
            evaluation=evaluation, operator_id__in=taking_part, status=Response.Status.SUBMITTED
        ).values_list("operator_id", flat=True)
    )
    if not taking_part - answered:
        return None
    path = reverse("evaluations:evaluation_detail", kwargs={"evaluation_id": evaluation.public_id})
    return {
        "evaluation": evaluation,
        "series": evaluation.series,
        "deadline": evaluation.answer_deadline,
        "evaluation_url": absolute_url(path),
    }


def evaluation_context(notification: Notification) -> dict | None:
    """The context of the invitation and reminder emails, or None if nothing is left to say."""
    evaluation = evaluation_load(notification)
    return None if evaluation is None else evaluation_build(notification, evaluation)


for _code in EvaluationKind:
    register_kind(Kind(code=_code.value, label=_code.label, load=evaluation_load, build=evaluation_build))
register_finder(evaluation_rows)
