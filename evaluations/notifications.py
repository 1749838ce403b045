"""The evaluation's notifications: who is invited to answer, who is reminded.

`evaluation_rows(now)` is the scan rule (core.notifications.scan RULES): an
invitation once to each member of each operator taking part while answers
are collected, and a reminder from REMINDER_BEFORE the deadline to the
members of operators that have not sent their answers. A fixed number of
queries, whatever the number of evaluations and operators.

`evaluation_context(notification)` is the context of both emails, or None
when there is nothing left to say (the questionnaire closed, or the
recipient's operators all answered meanwhile).
"""

import datetime

from django.urls import reverse

from core.models import Notification, NotificationKind
from meetings.selectors import participating_operator_ids

from .models import Evaluation, Response

REMINDER_BEFORE = datetime.timedelta(days=3)
OBJECT_TYPE = "evaluations.evaluation"


def _row(user_id: int, kind: str, evaluation_id: int, now) -> Notification:
    return Notification(
        recipient_id=user_id, kind=kind, object_type=OBJECT_TYPE, object_id=str(evaluation_id), period="", due_at=now
    )


def evaluation_rows(now: datetime.datetime) -> list[Notification]:
    """Invitations and reminders due at `now` (4 queries)."""
    from core.notifications.scan import operator_members, participating_operators

    evaluations = list(
        Evaluation.objects.filter(status=Evaluation.Status.COLLECTING).values_list("pk", "series_id", "answer_deadline")
    )
    if not evaluations:
        return []
    operators = participating_operators({e[1] for e in evaluations})
    members = operator_members({op for ops in operators.values() for op in ops})
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
                rows.append(_row(user_id, NotificationKind.EVALUATION_INVITATION, pk, now))
                if remind and (pk, operator_id) not in answered:
                    rows.append(_row(user_id, NotificationKind.EVALUATION_REMINDER, pk, now))
    return rows


def evaluation_context(notification: Notification) -> dict | None:
    """The context of the invitation and reminder emails, or None if nothing is left to say."""
    from core.notifications.kinds import absolute

    if notification.object_type != OBJECT_TYPE or not notification.object_id.isdigit():
        return None
    evaluation = Evaluation.objects.select_related("series").filter(pk=int(notification.object_id)).first()
    if evaluation is None or evaluation.status != Evaluation.Status.COLLECTING:
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
        "evaluation_url": absolute(path),
    }
