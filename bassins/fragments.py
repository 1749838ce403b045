"""The bassins' scope of cached fragments (core.fragments): the map of the
network keeps the links it computed until a visit of an open-doors week is
booked, cancelled, confirmed as held or deleted (the series' own scopes,
meetings.fragments, cover the rest)."""

from core.fragments import bump_on_writes

from .models import VisitBooking, VisitSlot

VISITS_SCOPE = "map:visits"


def connect() -> None:
    bump_on_writes(VISITS_SCOPE, VisitSlot, VisitBooking)
