from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.template import Context, Template

from meetings import video
from meetings.models import Mode, Series, Session

from ..factories import SeriesFactory, SessionFactory

START = datetime(2020, 10, 26, 12, 30, tzinfo=UTC)  # 13:30 in Brussels


@pytest.fixture
def meeting(series):
    return SessionFactory(series=series, starts_at=START, ends_at=START + timedelta(hours=1))


def test_jitsi_room_is_stable_unguessable_and_one_per_series(db, settings):
    settings.JITSI_BASE_URL = "https://visio.example.org/"
    first, second = SeriesFactory(), SeriesFactory()
    url = video.series_video_url(first)
    assert url == f"https://visio.example.org/{first.jitsi_room}"
    first.refresh_from_db()
    assert video.series_video_url(first) == url  # stable over time
    assert video.series_video_url(second) != url
    room = first.jitsi_room.removeprefix("carrefour-")
    assert len(room) >= 20 and room.isalnum()  # ~144 random bits, safe in any URL


def test_every_session_of_a_series_shares_its_room(series):
    sessions = SessionFactory.create_batch(2, series=series)
    assert video.session_join_url(sessions[0]) == video.session_join_url(sessions[1]) == video.series_video_url(series)


def test_external_link_and_session_override(db):
    series = SeriesFactory(video_provider=Series.VideoProvider.EXTERNAL, video_url="https://teams.example.com/l/abc")
    session = SessionFactory(series=series)
    assert video.session_join_url(session) == "https://teams.example.com/l/abc"
    session.video_url = "https://zoom.example.com/j/123"
    assert video.session_join_url(session) == "https://zoom.example.com/j/123"


def test_session_link_overrides_jitsi_too(series):
    session = SessionFactory(series=series, video_url="https://webex.example.com/meet/x")
    assert video.session_join_url(session) == "https://webex.example.com/meet/x"


def test_no_provider_means_no_link_unless_the_session_has_one(db):
    series = SeriesFactory(video_provider=Series.VideoProvider.NONE, video_url="https://ignored.example.com")
    session = SessionFactory(series=series)
    assert video.series_video_url(series) == ""
    assert video.session_join_url(session) == ""
    session.video_url = "https://meet.example.com/once"
    assert video.session_join_url(session) == "https://meet.example.com/once"


@pytest.mark.parametrize(
    ("mode", "status", "has_link"),
    [
        (Mode.VIDEO, Session.Status.PLANNED, True),
        (Mode.HYBRID, Session.Status.PLANNED, True),
        (Mode.IN_PERSON, Session.Status.PLANNED, False),
        (Mode.VIDEO, Session.Status.CANCELLED, False),
        (Mode.HYBRID, Session.Status.CANCELLED, False),
    ],
)
def test_no_link_in_person_or_cancelled(meeting, mode, status, has_link):
    meeting.mode, meeting.status = mode, status
    meeting.video_url = "https://meet.example.com/override"
    assert bool(video.session_join_url(meeting)) is has_link
    assert video.join_is_open(meeting, now=START) is has_link


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x"])
def test_only_web_links_come_out(db, url):
    series = SeriesFactory(video_provider=Series.VideoProvider.EXTERNAL, video_url=url)
    session = SessionFactory.build(series=series, video_url=url)
    assert video.series_video_url(series) == ""
    assert video.session_join_url(session) == ""


@pytest.mark.parametrize(
    ("now", "open_"),
    [
        (START - timedelta(minutes=15, seconds=1), False),
        (START - timedelta(minutes=15), True),
        (START, True),
        (START + timedelta(minutes=59, seconds=59), True),
        (START + timedelta(hours=1), False),
    ],
)
def test_join_window_boundaries(meeting, now, open_):
    assert video.join_is_open(meeting, now=now) is open_


def test_join_window_follows_the_clock(meeting):
    with time_machine.travel(START - timedelta(minutes=16), tick=False):
        assert not video.join_is_open(meeting)
    with time_machine.travel(START - timedelta(minutes=15), tick=False):
        assert video.join_is_open(meeting)
    with time_machine.travel(meeting.ends_at, tick=False):
        assert not video.join_is_open(meeting)


def _render_button(session, now):
    template = Template("{% load meetings_tags %}{% join_button session now %}")
    return template.render(Context({"session": session, "now": now}))


def test_join_button_shows_only_inside_the_window(meeting):
    html = _render_button(meeting, START - timedelta(minutes=5))
    assert f'href="{video.session_join_url(meeting)}"' in html
    assert 'rel="noopener noreferrer"' in html
    html = _render_button(meeting, START - timedelta(minutes=30))
    assert "href=" not in html and "15" in html


def test_join_button_is_absent_in_person(meeting):
    meeting.mode = Mode.IN_PERSON
    assert _render_button(meeting, START).strip() == ""
