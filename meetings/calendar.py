"""Calendar files (RFC 5545): one session, a person's feed, a series' feed.

What an entry holds: SUMMARY is the series' name, LOCATION the venue (or the
join link of a videoconference), DESCRIPTION the join link and the address of
the session page. Nothing else: no agenda, notes, info rounds or names, since
calendars are copied to third-party servers.

UID is "<session public_id>@carrefour" and never changes; SEQUENCE is the
session's `sequence`, which the session services raise at every move or
cancellation, so calendar applications update the event they already hold.
A cancelled session stays in the files with STATUS:CANCELLED. Times carry
TZID=Europe/Brussels and the matching VTIMEZONE, so a 13:30 meeting reads
13:30 on either side of a clock change.

A person's own files (one session's file, their feed, the invitation sent to
them) carry one VALARM (ACTION:DISPLAY) per event at the lead time they chose
on their notification preferences, TRIGGER relative to the start, so phones
and desktop clients remind them even when an email is late; a cancelled
session carries none. A series' feed is shared by its coordinators: no alarm.

Feeds hold the sessions that started at most FEED_PAST (about six months)
ago, and every later one: enough for the recent history in a calendar without
growing forever.
"""

import hashlib
import re
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.brussels import BRUSSELS, brussels_datetime_label
from core.links import absolute_url

from . import video
from .models import CalendarFeed, Series, Session
from .selectors.access import coordinated_series_ids, participating_series_ids
from .selectors.series import series_for_user

FEED_PAST = timedelta(days=183)
PRODID = "-//Carrefour//Carrefour calendar//EN"
# How often calendar applications should fetch a feed again (those that listen).
FEED_REFRESH = timedelta(hours=1)
# How long a built feed may be served again while nothing in it changed.
FEED_CACHE_SECONDS = 3600
# What a token looks like (secrets.token_urlsafe); anything else is not looked up
# (a NUL byte, for one, would make PostgreSQL raise instead of finding nothing).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def session_uid(session: Session) -> str:
    return f"{session.public_id}@carrefour"


def session_page_url(session: Session) -> str:
    return absolute_url(reverse("meetings:session_detail", kwargs={"session_id": session.public_id}))


def session_registration_url(session: Session) -> str:
    """The page of the person's own registration to `session` (registrations'
    page, named here: that app sits above meetings): what a person registered
    to that session only opens instead of the session page."""
    return absolute_url(reverse("registrations:my_session", kwargs={"session_id": session.public_id}))


def person_feed_url(feed: CalendarFeed) -> str:
    """The absolute address of a person's feed (secret: show it to its owner only)."""
    return absolute_url(reverse("meetings:person_feed", kwargs={"token": feed.token}))


def series_feed_url(series: Series) -> str:
    """The absolute address of a series' feed (secret: show it to its coordinators only)."""
    return absolute_url(
        reverse("meetings:series_feed", kwargs={"series_id": series.public_id, "token": series.feed_token})
    )


# --- Reads ------------------------------------------------------------------


def feed_for_user(user) -> CalendarFeed | None:
    """The person's feed, or None if they never made one or revoked it."""
    return CalendarFeed.objects.filter(user=user).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed whose URL holds `token`, if its owner may still sign in."""
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()


def series_by_feed_token(public_id, token: str) -> Series | None:
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    return Series.objects.filter(public_id=public_id, feed_token=token).first()


def feed_sessions(*, series: QuerySet[Series] | list[Series], now: datetime | None = None) -> QuerySet[Session]:
    """The sessions of these series a feed shows (see FEED_PAST), with what the entries need."""
    since = (now or timezone.now()) - FEED_PAST
    return (
        Session.objects.filter(series__in=series, starts_at__gte=since)
        .select_related("series")
        .order_by("starts_at", "pk")
    )


# --- Building ---------------------------------------------------------------


def alarm_lead(user) -> timedelta | None:
    """How long before a session the person's calendar should remind them (None: no alarm)."""
    minutes = getattr(user, "calendar_alarm", None)
    return timedelta(minutes=minutes) if minutes else None


def _alarm(lead: timedelta) -> icalendar.Alarm:
    # RFC 5545 §3.6.6: a DISPLAY alarm needs ACTION, TRIGGER and DESCRIPTION;
    # RELATED=START (the default, said explicitly) counts from DTSTART.
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -lead, parameters={"RELATED": "START"})
    alarm.add("description", _("Carrefour session"))
    return alarm


def _location(session: Session, join_url: str) -> str:
    return session.place or join_url


def _description(session: Session, join_url: str, page_url: str) -> str:
    lines = []
    if session.moved_from:
        moved_from = brussels_datetime_label(session.moved_from)
        lines.append(_("Moved from %(date)s.") % {"date": moved_from})
    if join_url:
        lines.append(_("Join the videoconference: %(url)s") % {"url": join_url})
    lines.append(_("Session page: %(url)s") % {"url": page_url})
    return "\n".join(lines)


def session_event(
    session: Session, *, stamp: datetime, alarm: timedelta | None = None, page_url: str = ""
) -> icalendar.Event:
    """The VEVENT of a session: only what DESCRIPTION and LOCATION may hold (see the module),
    with one display alarm `alarm` before the start unless the session is cancelled; its
    page is `page_url` (the session page unless said otherwise)."""
    join_url = video.session_join_url(session)
    page_url = page_url or session_page_url(session)
    cancelled = session.status == Session.Status.CANCELLED
    event = icalendar.Event.new(
        uid=session_uid(session),
        sequence=session.sequence,
        stamp=stamp,
        created=session.created_at,
        last_modified=session.updated_at,
        start=session.starts_at.astimezone(BRUSSELS),
        end=session.ends_at.astimezone(BRUSSELS),
        summary=session.series.name,
        location=_location(session, join_url) or None,
        description=_description(session, join_url, page_url),
        url=page_url,
        status="CANCELLED" if cancelled else "CONFIRMED",
    )
    if alarm and not cancelled:
        event.add_component(_alarm(alarm))
    return event


def _brussels_timezone(sessions: list[Session]) -> icalendar.Timezone:
    # The VTIMEZONE lists the transitions of the years the events span (and
    # the next one); an empty feed still gets it, as RFC 5545 wants at least
    # one component in a calendar.
    starts = [s.starts_at for s in sessions] or [timezone.now()]
    first = min(starts).astimezone(BRUSSELS).year
    last = max(starts).astimezone(BRUSSELS).year
    return icalendar.Timezone.from_tzinfo(
        BRUSSELS, BRUSSELS.key, first_date=date(first, 1, 1), last_date=date(last + 2, 1, 1)
    )


def calendar_build(
    sessions: Iterable[Session],
    *,
    uid: str,
    name: str = "",
    refresh: timedelta | None = None,
    alarm: timedelta | None = None,
    page_url: str = "",
) -> bytes:
    """An iCalendar file (METHOD:PUBLISH) of these sessions, with the VTIMEZONE they need
    and, when `alarm` is given, a display alarm that long before each session not cancelled
    (`page_url`: the page of a one-session file, when not the session page).

    The sessions must come with their series (select_related): no query here.
    """
    sessions = list(sessions)
    cal = icalendar.Calendar.new(prodid=PRODID, method="PUBLISH", calscale="GREGORIAN", uid=uid, name=name or None)
    if refresh is not None:
        cal.refresh_interval = refresh
        cal.add("X-PUBLISHED-TTL", refresh)  # Outlook's spelling of the same wish
    cal.add("X-WR-TIMEZONE", BRUSSELS.key)  # the display zone some applications read
    cal.add_component(_brussels_timezone(sessions))
    stamp = timezone.now()
    for session in sessions:
        cal.add_component(session_event(session, stamp=stamp, alarm=alarm, page_url=page_url))
    return cal.to_ical()


def session_calendar(session: Session, *, user=None, page_url: str = "") -> bytes:
    """The .ics file of one session (the same event as in the feeds), with `user`'s alarm
    and, when given, `page_url` as the event's page."""
    return calendar_build(
        [session], uid=f"session-{session.public_id}@carrefour", alarm=alarm_lead(user), page_url=page_url
    )


def _cached(key: str, sessions: QuerySet[Session], build) -> bytes:
    """The file built by `build`, kept in the cache while what it shows is unchanged.

    Calendar applications fetch feeds every few minutes; building a feed of
    a few hundred events costs far more than one aggregate query, which tells
    whether anything it holds changed: the number of sessions, the latest
    change of a session or of its series, the sum of their sequences (every
    move and cancellation raises one), the day (the window moves) and the
    language of the texts.
    """
    state = sessions.aggregate(
        n=Count("pk"), seq=Sum("sequence"), last=Max("updated_at"), series_last=Max("series__updated_at")
    )
    version = f"{key}|{get_language()}|{timezone.localdate()}|{sorted(state.items())}"
    cache_key = "calendar:" + hashlib.sha256(version.encode()).hexdigest()
    body = cache.get(cache_key)
    if body is None:
        body = build()
        cache.set(cache_key, body, FEED_CACHE_SECONDS)
    return body


def person_calendar(feed: CalendarFeed, *, now: datetime | None = None) -> bytes:
    """A person's feed: the sessions of every series they coordinate or take part in now."""
    sessions = feed_sessions(series=series_for_user(feed.user), now=now)
    # A stable calendar UID that says nothing about its owner; a new token makes a new calendar.
    uid = f"{uuid.uuid5(uuid.NAMESPACE_URL, 'carrefour-feed:' + feed.token)}@carrefour"
    series_ids = sorted(coordinated_series_ids(feed.user) | participating_series_ids(feed.user))
    alarm = alarm_lead(feed.user)
    # The alarm is in the key: a new preference shows at the next fetch.
    key = f"person|{feed.token}|{series_ids}|{alarm}"
    return _cached(
        key, sessions, lambda: calendar_build(sessions, uid=uid, name="Carrefour", refresh=FEED_REFRESH, alarm=alarm)
    )


def series_calendar(series: Series, *, now: datetime | None = None) -> bytes:
    """A series' feed, for its coordinators: all its sessions in the feed window."""
    sessions = feed_sessions(series=[series], now=now)
    return _cached(
        f"series|{series.pk}|{series.feed_token}|{series.updated_at}",
        sessions,
        lambda: calendar_build(sessions, uid=f"{series.public_id}@carrefour", name=series.name, refresh=FEED_REFRESH),
    )


def session_invitation(
    session: Session, *, method: str, attendee: str, alarm: timedelta | None = None, page_url: str = ""
) -> bytes:
    """The calendar file attached to an invitation email (RFC 5546 iTIP).

    METHOD:REQUEST for a scheduled or moved session, METHOD:CANCEL for a
    cancelled one; the same UID and SEQUENCE as the feeds, so a calendar
    application updates the one event it holds. The organiser is the
    portal's sender address and the attendee the recipient: no other person;
    `alarm` is the recipient's (none on a cancellation), `page_url` the page
    they can open (the session page unless said otherwise).
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
    cal = icalendar.Calendar.new(prodid=PRODID, method=method, calscale="GREGORIAN")
    cal.add_component(_brussels_timezone([session]))
    event = session_event(session, stamp=timezone.now(), alarm=None if method == "CANCEL" else alarm, page_url=page_url)
    organiser = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@carrefour.localhost"
    event.add("organizer", f"mailto:{organiser}", parameters={"CN": "Carrefour"})
    event.add(
        "attendee",
        f"mailto:{attendee}",
        parameters={"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"},
    )
    if method == "CANCEL":
        event["status"] = "CANCELLED"
    cal.add_component(event)
    return cal.to_ical()
