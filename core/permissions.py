"""The one check services make before they write: may this person do this?

Who may do what is decided by the `rules` permissions of each app; a service
asks here and refuses with PermissionDenied."""

from django.core.exceptions import PermissionDenied


def require_perm(actor, perm: str, obj=None) -> None:
    """PermissionDenied unless `actor`, a signed-in person, has `perm` (on `obj`)."""
    if actor is None or not actor.is_authenticated or not actor.has_perm(perm, obj):
        raise PermissionDenied


class RefusedUntil(PermissionDenied):
    """A refusal the person can lift themselves at `location` (e.g. by accepting a
    series' charter): a page read in the browser leads there, any other request
    is refused (core.middleware.ForbiddenMiddleware)."""

    def __init__(self, location: str):
        super().__init__(location)
        self.location = location
