"""Who sets a session's places.

A session's capacity is a field of meetings (`Session.capacity`), but the
places it gives, the waiting list and the promotion of the people waiting
belong to registrations, which sits above meetings. That app registers its
service here at start-up (RegistrationsConfig.ready), and the session forms
of meetings set a capacity through it: one owner of the waiting list, its
checks (never below the places confirmed) and its emails.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_setter: Callable | None = None


def places_setter_register(setter: Callable) -> None:
    """`setter(actor=, session=, capacity=)` sets the places of a session (None: no limit)."""
    global _setter  # noqa: PLW0603 - one registration at start-up, as notifications.registry does
    _setter = setter


def session_places_set(*, actor, session, capacity: int | None):
    """Set `session`'s places through the registered setter (see the module)."""
    if _setter is None:
        raise ImproperlyConfigured("No app sets the places of sessions (registrations is not installed).")
    return _setter(actor=actor, session=session, capacity=capacity)
