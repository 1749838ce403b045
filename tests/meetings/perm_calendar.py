"""Expected outcomes per persona for the calendar URLs (see tests/test_permissions.py).

Personas: anonymous, outsider, other_member, member, referent, other_coordinator, coordinator, admin,
individual, session_registrant.
The feeds need no sign-in: with a valid token (a feed of `member`, the
series' own feed_token) they answer 200 to anyone. They come before
regenerate/revoke, which run as each persona on that persona's own feed.
The .ics is of an extra session: other areas' URLs, run first as
coordinators, regenerate the series' plain sessions away.
"""

from meetings.services.feeds import feed_get_or_create

from ..factories import SessionFactory

L = "login"

EXPECTED = {
    "meetings:session_ics": (L, 404, 404, 200, 200, 404, 200, 200, 200, 404),
    "meetings:feed_settings": (L, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "meetings:person_feed": (200,) * 10,
    "meetings:series_feed": (200,) * 10,
    "meetings:feed_regenerate": (L, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "meetings:feed_revoke": (L, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    # After series_feed: it changes the series' token.
    "meetings:series_feed_regenerate": (L, 404, 404, 403, 403, 404, 302, 302, 403, 404),
}

POST_ONLY = {"meetings:feed_regenerate", "meetings:feed_revoke", "meetings:series_feed_regenerate"}


def url_kwargs(request) -> dict:
    series = request.getfixturevalue("series")
    session = SessionFactory(series=series, is_extra=True)
    feed = feed_get_or_create(user=request.getfixturevalue("member"))
    return {
        "meetings:session_ics": {"session_id": session.public_id},
        "meetings:person_feed": {"token": feed.token},
        "meetings:series_feed": {"series_id": series.public_id, "token": series.feed_token},
        "meetings:series_feed_regenerate": {"series_id": series.public_id},
    }
