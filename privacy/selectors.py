"""Reads of the privacy app: the audit trail as admins filter it."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import AuditEvent


def audit_events(
    *,
    person: str = "",
    object_type: str = "",
    action: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit trail, newest first, filtered: `person` matches the name or
    email of who acted, the period runs over whole Brussels days."""
    qs = AuditEvent.objects.select_related("actor").order_by("-at", "-pk")
    if person:
        qs = qs.filter(Q(actor__name__icontains=person) | Q(actor__email__icontains=person))
    if object_type:
        qs = qs.filter(object_type=object_type)
    if action:
        qs = qs.filter(action=action)
    if since:
        qs = qs.filter(at__gte=_day_start(since))
    if until:
        qs = qs.filter(at__lt=_day_start(until + datetime.timedelta(days=1)))
    return qs


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def audit_choices(field: str) -> list[str]:
    """The values an audit filter can take (the actions, the object types recorded)."""
    return list(AuditEvent.objects.exclude(**{field: ""}).order_by(field).values_list(field, flat=True).distinct())
