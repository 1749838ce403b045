"""Two-factor sign-in for the people who must have it.

Whoever holds settings.SECOND_FACTOR_PERMISSION (admins, coordinators and
everyone who reaches a series under a charter: meetings/rules.py) and has no
second factor yet is led to set one up before anything else: every page but
those of the set-up itself, signing out, the health check and the language
switch sends them to the authenticator app's page (allauth.mfa). Static
files never reach Django in production (WhiteNoise answers them first).
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.request_cache import cached_on

# What a person without a second factor may still open.
ALLOWED_VIEWS = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "account_logout",
        "account_email",
        "account_confirm_email",
        "core:healthz",
        "core:language_set",
    }
)
SET_UP = "mfa_activate_totp"


def has_second_factor(user) -> bool:
    """Whether the person signs in with an authenticator app (or a security key); once per request."""
    return cached_on(
        user,
        "has_second_factor",
        Authenticator.objects.filter(
            user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists,
    )


def second_factor_missing(user) -> bool:
    """Whether the person must set up a second factor before going on."""
    return user.is_authenticated and user.has_perm(settings.SECOND_FACTOR_PERMISSION) and not has_second_factor(user)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.SECOND_FACTOR_REQUIRED or request.path.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_VIEWS:
            return None
        if not second_factor_missing(request.user):
            return None
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse(SET_UP)
            return response
        if request.method == "GET":
            messages.info(
                request,
                _(
                    "Your role in Carrefour gives you access to confidential content: set up a second factor "
                    "(an authenticator app) to go on."
                ),
            )
        return HttpResponseRedirect(reverse(SET_UP))
