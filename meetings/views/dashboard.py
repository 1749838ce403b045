"""The home page: the person's dashboards, as a member of an operator, as a coordinator, or both."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT

from ..selectors.dashboard import home_page


@login_required
def home(request):
    page = home_page(user=request.user, now=timezone.now())
    context = {
        "memberships": page.memberships,
        "upcoming": page.upcoming,
        "polls": page.polls,
        "dashboard": page.dashboard,
        "charters_to_accept": page.charters_to_accept,
        "fragment_timeout": FRAGMENT_TIMEOUT,
    }
    return render(request, "meetings/home.html", context)
