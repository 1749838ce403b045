"""The email of consultations, registered with the notifications app: a published
synthesis, once, to every participant of its session (its contributors and the
registered participants), with the link — never a contribution's text."""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.links import absolute_url
from notifications.models import Notification
from notifications.registry import Kind, register_finder, register_kind
from notifications.scan import DueRow, due_row
from registrations.models import Registration

from .models import Contribution, Synthesis

RECENT = datetime.timedelta(days=2)
SYNTHESIS = Synthesis._meta.label_lower


class ConsultationKind(models.TextChoices):
    PUBLISHED = "synthesis_published", _("Synthesis of a consultation published")


def syntheses_due(now: datetime.datetime) -> list[DueRow]:
    """To every participant of each synthesis published lately (three queries)."""
    published = dict(
        Synthesis.objects.filter(published_at__gte=now - RECENT, published_at__lte=now).values_list("session_id", "pk")
    )
    if not published:
        return []
    people: dict[int, set[int]] = {session_id: set() for session_id in published}
    authors = Contribution.objects.filter(session_id__in=published, author__isnull=False, author__is_active=True)
    for session_id, user_id in authors.values_list("session_id", "author_id").distinct():
        people[session_id].add(user_id)
    series_of = dict(
        Synthesis.objects.filter(pk__in=published.values()).values_list("session_id", "session__series_id")
    )
    registered = Registration.objects.filter(status="registered", series_id__in=set(series_of.values())).filter(
        Q(session_id__in=published) | Q(session__isnull=True)
    )
    for series_id, session_id, user_id in registered.values_list("series_id", "session_id", "user_id"):
        for sid, series in series_of.items():
            if series == series_id and (session_id is None or session_id == sid):
                people[sid].add(user_id)
    return [
        due_row(user_id, ConsultationKind.PUBLISHED, SYNTHESIS, published[sid], "", now)
        for sid, users in people.items()
        for user_id in sorted(users)
    ]


def _load(n: Notification) -> Synthesis | None:
    if n.object_type != SYNTHESIS or not n.object_id.isdigit():
        return None
    return Synthesis.objects.select_related("session", "session__series").filter(pk=int(n.object_id)).first()


def _build(n: Notification, synthesis: Synthesis) -> dict | None:
    if not synthesis.is_published:
        return None
    path = reverse("consultations:synthesis", kwargs={"session_id": synthesis.session.public_id})
    return {"series": synthesis.session.series, "session": synthesis.session, "synthesis_url": absolute_url(path)}


register_kind(
    Kind(code=ConsultationKind.PUBLISHED.value, label=ConsultationKind.PUBLISHED.label, load=_load, build=_build)
)
register_finder(syntheses_due)
