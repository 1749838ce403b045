"""The help desk's scope of cached fragments (core.fragments): the map of the
network keeps the links it computed, the help desk's collaborations among
them, until a contact is recorded, changed or deleted (with its request)."""

from core.fragments import bump_on_writes

from .models import ContactMade, Request

MAP_SCOPE = "map:helpdesk"


def connect() -> None:
    bump_on_writes(MAP_SCOPE, ContactMade, Request)
