"""Reads of the notifications."""

from django.db.models import QuerySet

from .models import Notification


def failed_notifications() -> QuerySet[Notification]:
    return (
        Notification.objects.filter(state=Notification.State.FAILED)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )
