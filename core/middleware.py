from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from . import views
from .permissions import RefusedUntil

# Pages that show a series' content — info rounds and their compilation, the
# completion board, the live session, minutes, needs, actions, evaluations and
# their answers and report — or a secret address: no browser or proxy keeps a
# copy of them (a shared computer's back button, a caching proxy).
NO_STORE_NAMESPACES = frozenset({"meetings", "evaluations", "clinical"})
NO_STORE_VIEWS = frozenset(
    {
        "core:home",  # the dashboards: upcoming sessions, missing info rounds, needs
        "notifications:digest_preview",
        "notifications:unsubscribe",
        "accounts:invitation_accept",
    }
)


class UserLanguageMiddleware:
    """Speak to a signed-in person in the language of their profile.

    LocaleMiddleware has already chosen from the cookie and the browser; a
    signed-in person's stated preference wins over both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def is_confidential(view_name: str) -> bool:
    """Whether the page of this URL name ("namespace:name") must not be stored."""
    namespace, _sep, _name = view_name.rpartition(":")
    return namespace in NO_STORE_NAMESPACES or view_name in NO_STORE_VIEWS


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every confidential page (see NO_STORE_NAMESPACES)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and is_confidential(match.view_name):
            add_never_cache_headers(response)
        return response


class ForbiddenMiddleware:
    """A refusal is an ordinary answer: the 403 page, logged as one line.

    Django would log each PermissionDenied with its traceback; answered
    here, it is logged like a 404 ("Forbidden: /path"). A refusal the person
    can lift (RefusedUntil) leads a page they open to where they can: the
    path they asked for comes back as `next`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RefusedUntil) and request.method == "GET" and not request.headers.get("HX-Request"):
            return HttpResponseRedirect(f"{exception.location}?{urlencode({'next': request.get_full_path()})}")
        if isinstance(exception, PermissionDenied):
            return views.error_403(request, exception)
        return None
