"""The emails of clinical situations, registered with the notifications app.

None carries any text of a situation, nor who presents it: each says that
something happened in the group, for which meeting, and links to the page
(which asks for the charter and the second factor). "Une situation a été
proposée pour la rencontre du …".

- situation proposed → the carrier group (once per situation);
- rework asked → its author (once per version);
- chosen for a meeting → its author (once per meeting);
- feedback due → its presenter, FEEDBACK_BEFORE the next meeting, while it
  waits for a follow-up (once per meeting).
"""

import datetime

from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.links import absolute_url
from meetings.models import Session
from meetings.notifications.audience import series_coordinators
from notifications.models import Notification
from notifications.registry import Kind, register_finder, register_kind
from notifications.scan import DueRow, due_row

from .models import Situation
from .rules import may

RECENT = datetime.timedelta(days=2)
FEEDBACK_BEFORE = datetime.timedelta(days=7)
OBJECT_TYPE = Situation._meta.label_lower
Status = Situation.Status


class ClinicalKind(models.TextChoices):
    PROPOSED = "situation_proposed", _("A clinical situation was proposed (carrier group)")
    REWORK = "situation_rework", _("A rework of your clinical situation is asked")
    CHOSEN = "situation_chosen", _("Your clinical situation was chosen for a meeting")
    FEEDBACK_DUE = "situation_feedback_due", _("A follow-up of your clinical situation is awaited")


def situation_rows(now: datetime.datetime) -> list[DueRow]:
    """Every clinical email due at `now` (4 queries)."""
    recent = list(
        Situation.objects.filter(updated_at__gte=now - RECENT, purged_at__isnull=True)
        .filter(status__in=[Status.PROPOSED, Status.REWORK, Status.CHOSEN])
        .values_list("pk", "series_id", "author_id", "status", "version", "session_id")
    )
    carriers = series_coordinators({row[1] for row in recent if row[3] == Status.PROPOSED})
    rows = []
    for pk, series_id, author_id, status, version, session_id in recent:
        if status == Status.PROPOSED:
            rows += [due_row(u, ClinicalKind.PROPOSED, OBJECT_TYPE, pk, "", now) for u in carriers.get(series_id, ())]
        elif author_id and status == Status.REWORK:
            rows.append(due_row(author_id, ClinicalKind.REWORK, OBJECT_TYPE, pk, f"v{version}", now))
        elif author_id and status == Status.CHOSEN:
            rows.append(due_row(author_id, ClinicalKind.CHOSEN, OBJECT_TYPE, pk, f"s{session_id}", now))
    return rows + feedback_rows(now)


def feedback_rows(now: datetime.datetime) -> list[DueRow]:
    """To each presenter whose situation awaits a follow-up, before the next meeting (2 queries)."""
    waiting = list(
        Situation.objects.filter(
            status=Status.PRESENTED, last_feedback_at=F("presented_at"), purged_at__isnull=True, author__isnull=False
        ).values_list("pk", "series_id", "author_id", "presented_at")
    )
    if not waiting:
        return []
    sessions = Session.objects.filter(
        series_id__in={w[1] for w in waiting},
        status=Session.Status.PLANNED,
        starts_at__gt=now,
        starts_at__lte=now + FEEDBACK_BEFORE,
    ).values_list("pk", "series_id", "starts_at")
    rows = []
    for session_id, series_id, starts_at in sessions:
        for pk, situation_series, author_id, presented_at in waiting:
            if situation_series == series_id and presented_at < starts_at:
                rows.append(due_row(author_id, ClinicalKind.FEEDBACK_DUE, OBJECT_TYPE, pk, f"s{session_id}", now))
    return rows


def situation_load(notification: Notification) -> Situation | None:
    if notification.object_type != OBJECT_TYPE or not notification.object_id.isdigit():
        return None
    return (
        Situation.objects.select_related("series", "session", "preferred_session")
        .filter(pk=int(notification.object_id), purged_at__isnull=True)
        .first()
    )


def _meeting(notification: Notification, situation: Situation) -> Session | None:
    if notification.kind == ClinicalKind.FEEDBACK_DUE:
        return Session.objects.filter(pk=notification.period.removeprefix("s")).first()
    return situation.session or situation.preferred_session


STILL = {
    ClinicalKind.PROPOSED: (Status.PROPOSED,),
    ClinicalKind.REWORK: (Status.REWORK,),
    ClinicalKind.CHOSEN: (Status.CHOSEN,),
    ClinicalKind.FEEDBACK_DUE: (Status.PRESENTED,),
}


def situation_build(notification: Notification, situation: Situation) -> dict | None:
    """The series, the meeting and the link: never a text of the situation."""
    if situation.status not in STILL[ClinicalKind(notification.kind)]:
        return None
    path = reverse("clinical:situation", kwargs={"situation_id": situation.public_id})
    return {
        "series": situation.series,
        "meeting": _meeting(notification, situation),
        "situation_url": absolute_url(path),
    }


def situation_reaches(person, situation: Situation) -> bool:
    return may(person, "clinical.view_situation", situation)


for _kind in ClinicalKind:
    register_kind(
        Kind(code=_kind.value, label=_kind.label, load=situation_load, build=situation_build, reaches=situation_reaches)
    )
register_finder(situation_rows)
