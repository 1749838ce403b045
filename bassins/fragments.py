"""The bassins' scope of cached fragments (core.fragments): the map of the
network keeps the links it computed until a visit of an open-doors week is
booked, cancelled, confirmed as held or deleted (the series' own scopes,
meetings.fragments, cover the rest)."""

from django.db.models.signals import post_delete, post_save

from core.fragments import bump

from .models import VisitBooking, VisitSlot

VISITS_SCOPE = "map:visits"


def _written(sender, **kwargs):
    bump(VISITS_SCOPE)


def connect() -> None:
    for model in (VisitSlot, VisitBooking):
        post_save.connect(_written, sender=model, dispatch_uid=f"bassins-map-{model.__name__}-save")
        post_delete.connect(_written, sender=model, dispatch_uid=f"bassins-map-{model.__name__}-delete")
