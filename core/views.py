import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import health
from .redirects import redirect_next
from .signals import language_chosen


@transaction.non_atomic_requests  # a dead database must give 503, not a 500
@require_GET
@never_cache
def healthz(request):
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    status = 200 if all(checks.values()) else 503
    body = {"status": "ok" if status == 200 else "unavailable", **{k: "ok" if v else "down" for k, v in checks.items()}}
    return JsonResponse(body, status=status)


@require_POST
def language_set(request):
    """Switch the interface language, and remember it in the profile."""
    code = request.POST.get("language", "")
    response = redirect_next(request, default="/")
    if code not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        language_chosen.send(sender=language_set, user=request.user, language=code)
    translation.activate(code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


# How long a client is asked to wait while the database is unreachable.
RETRY_AFTER_SECONDS = 30


def error_500(request):
    """The server error page; 503 with Retry-After when the database is unreachable.

    Django calls this handler while it handles the exception, so that
    exception is the current one. Neither page is rendered with the request:
    no context processor may touch the database, which may be what failed.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("errors/503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(render_to_string("errors/500.html"), status=500)
