"""The videoconference link of a session and when the "Join" button shows.

A series has one provider: a Jitsi Meet room that Carrefour names (one
unguessable room per series, stable for its whole life), an external link
pasted by a coordinator (Teams, Zoom, Webex…), or none. A session may carry
its own link, which wins over the series'. Nobody joins a session held in
person only or a cancelled one.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import Mode, Series, Session

JOIN_OPENS_BEFORE = timedelta(minutes=15)


def _web_link(url: str) -> str:
    # Links end up in href attributes and calendar files: only web addresses,
    # never javascript: or data: (form validation already refuses them; data
    # loaded another way must not get through either).
    return url if url.lower().startswith(("https://", "http://")) else ""


def series_video_url(series: Series) -> str:
    """The series' own link: its Jitsi room, its pasted link, or ''."""
    if series.video_provider == Series.VideoProvider.JITSI:
        return f"{settings.JITSI_BASE_URL.rstrip('/')}/{series.jitsi_room}"
    if series.video_provider == Series.VideoProvider.EXTERNAL:
        return _web_link(series.video_url)
    return ""


def session_join_url(session: Session) -> str:
    """The link to join `session` online: '' when held in person only, cancelled, or without a link."""
    if session.mode == Mode.IN_PERSON or session.status == Session.Status.CANCELLED:
        return ""
    return _web_link(session.video_url) or series_video_url(session.series)


def join_is_open(session: Session, now: datetime | None = None) -> bool:
    """Whether the "Join" button shows: from 15 minutes before the start until the end (excluded)."""
    now = now or timezone.now()
    return bool(session_join_url(session)) and session.starts_at - JOIN_OPENS_BEFORE <= now < session.ends_at
