"""The home page: the person's dashboards, as a member of an operator, as a coordinator, or both."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone

from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT

from ..selectors.dashboard import home_page


def _form_secret_digest(request) -> str:
    """A digest of the person's CSRF secret: the member's dashboard, a cached
    fragment, holds forms with their token, valid while this secret is (a new
    one at each login). Only a digest goes into the cache key."""
    get_token(request)  # the secret of the cookie, or a new one, sent with the response
    return hashlib.sha256(request.META["CSRF_COOKIE"].encode()).hexdigest()[:16]


@login_required
def home(request):
    page = home_page(user=request.user, now=timezone.now(), vary=_form_secret_digest(request))
    context = {
        "memberships": page.memberships,
        "upcoming": page.upcoming,
        "polls": page.polls,
        "dashboard": page.dashboard,
        "charters_to_accept": page.charters_to_accept,
        "fragment_timeout": FRAGMENT_TIMEOUT,
    }
    return render(request, "meetings/home.html", context)
