"""The help desk's scope of cached fragments (core.fragments): the map of the
network keeps the links it computed, the help desk's collaborations among
them, until a contact is recorded, changed or deleted (with its request)."""

from django.db.models.signals import post_delete, post_save

from core.fragments import bump

from .models import ContactMade, Request

MAP_SCOPE = "map:helpdesk"


def _written(sender, **kwargs):
    bump(MAP_SCOPE)


def connect() -> None:
    for model in (ContactMade, Request):
        post_save.connect(_written, sender=model, dispatch_uid=f"helpdesk-map-{model.__name__}-save")
        post_delete.connect(_written, sender=model, dispatch_uid=f"helpdesk-map-{model.__name__}-delete")
