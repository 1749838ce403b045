from django.core.exceptions import PermissionDenied
from django.utils import translation

from . import views


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


class ForbiddenMiddleware:
    """A refusal is an ordinary answer: the 403 page, logged as one line.

    Django would log each PermissionDenied with its traceback; answered
    here, it is logged like a 404 ("Forbidden: /path").
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            return views.error_403(request, exception)
        return None
