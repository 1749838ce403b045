"""Calendar files and feeds.

The feeds need no sign-in (calendar applications cannot sign in): the token
in the URL is the key. A wrong or revoked token answers the same 404 as any
unknown address. These views log nothing; Django's own "Not Found" warning
names the path of a wrong or revoked token, a key that opens nothing.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.brussels import brussels_date

from .. import calendar
from ..selectors.access import series_get_for_user, session_get_for_user
from ..services import feeds


def _calendar_response(body: bytes, *, filename: str = "") -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Private to whoever holds the link: no shared cache keeps it, no search engine lists it.
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_safe
def session_ics(request, session_id):
    session = session_get_for_user(request.user, session_id)
    stamp = brussels_date(session.starts_at).isoformat()
    return _calendar_response(calendar.session_calendar(session, user=request.user), filename=f"carrefour-{stamp}.ics")


@require_safe
def person_feed(request, token):
    feed = calendar.feed_by_token(token)
    if feed is None:
        raise Http404
    with translation.override(feed.user.language or settings.LANGUAGE_CODE):
        body = calendar.person_calendar(feed)
    return _calendar_response(body)


@require_safe
def series_feed(request, series_id, token):
    series = calendar.series_by_feed_token(series_id, token)
    if series is None:
        raise Http404
    return _calendar_response(calendar.series_calendar(series))


@login_required
@require_safe
@never_cache  # the page shows a secret address
def feed_settings(request):
    feed = calendar.feed_for_user(request.user)
    feed_url = calendar.person_feed_url(feed) if feed else ""
    context = {
        "feed": feed,
        "feed_url": feed_url,
        "webcal_url": feed_url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        "past_months": calendar.FEED_PAST.days // 30,
    }
    return render(request, "meetings/calendar_feed.html", context)


@login_required
@require_POST
def feed_regenerate(request):
    had_feed = calendar.feed_for_user(request.user) is not None
    feeds.feed_regenerate(user=request.user)
    if had_feed:
        messages.success(request, _("Your calendar has a new address. The previous one no longer works."))
    else:
        messages.success(request, _("Your calendar address is ready."))
    return redirect("meetings:feed_settings")


@login_required
@require_POST
def feed_revoke(request):
    if feeds.feed_revoke(user=request.user):
        messages.success(request, _("Your calendar address no longer works. You can create a new one at any time."))
    return redirect("meetings:feed_settings")


@login_required
@require_POST
def series_feed_regenerate(request, series_id):
    series = series_get_for_user(request.user, series_id)
    feeds.series_feed_regenerate(actor=request.user, series=series)
    messages.success(request, _("The feed of this series has a new address; the previous one no longer works."))
    return redirect("meetings:series_detail", series_id=series.public_id)
