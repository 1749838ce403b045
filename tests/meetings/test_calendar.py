import html
import logging
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditEvent
from meetings import calendar, video
from meetings.models import CalendarFeed, Mode, Participation, Series, Session
from meetings.services import feeds
from meetings.services.series import series_update
from meetings.services.sessions import session_cancel, session_move

from ..conftest import login
from ..factories import OperatorFactory, SeriesFactory, SessionFactory, UserFactory

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture(autouse=True)
def _english_wording():
    """These tests read the English source wording of messages; French is the
    catalogue's business (tests/test_i18n.py checks it is complete)."""
    with translation.override("en"):
        yield


def _parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _ics_url(session) -> str:
    return reverse("meetings:session_ics", kwargs={"session_id": session.public_id})


def _feed_url(feed) -> str:
    return reverse("meetings:person_feed", kwargs={"token": feed.token})


def _series_feed_url(series, token=None) -> str:
    return reverse("meetings:series_feed", kwargs={"series_id": series.public_id, "token": token or series.feed_token})


def _move(session, *, by: timedelta) -> None:
    # What the session services do when a session moves: new times, SEQUENCE + 1.
    Session.objects.filter(pk=session.pk).update(
        starts_at=F("starts_at") + by, ends_at=F("ends_at") + by, sequence=F("sequence") + 1
    )


def _brussels(y, m, d, hh, mm) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BRUSSELS)


# --- One session's file -------------------------------------------------------


def test_session_file_is_valid_icalendar(client, member, session):
    response = login(client, member).get(_ics_url(session))
    cal = _parse(response)
    assert response["Content-Disposition"].startswith('attachment; filename="carrefour-')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert cal["VERSION"] == "2.0" and cal["PRODID"] and cal["METHOD"] == "PUBLISH"
    [event] = cal.events
    assert event["UID"] == f"{session.public_id}@carrefour"
    assert event["SUMMARY"] == session.series.name
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event.start == session.starts_at and event.end == session.ends_at
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert [tz["TZID"] for tz in cal.timezones] == ["Europe/Brussels"]
    cal.validate()
    lines = response.content.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)  # CRLF, folded at 75 octets


@pytest.mark.parametrize("persona", ["member", "referent", "coordinator", "admin_user"])
def test_participants_coordinators_and_admins_download(client, request, session, persona):
    assert login(client, request.getfixturevalue(persona)).get(_ics_url(session)).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "other_member", "other_coordinator"])
def test_session_file_is_404_outside_the_series(client, request, session, persona):
    assert login(client, request.getfixturevalue(persona)).get(_ics_url(session)).status_code == 404


def test_session_file_needs_sign_in(client, session):
    response = client.get(_ics_url(session))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_uid_stays_and_sequence_increments_after_a_move(client, member, session):
    login(client, member)
    [before] = _parse(client.get(_ics_url(session))).events
    _move(session, by=timedelta(days=1, hours=2))
    [after] = _parse(client.get(_ics_url(session))).events
    assert after["UID"] == before["UID"] == f"{session.public_id}@carrefour"
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.start - before.start == timedelta(days=1, hours=2)


def test_calendar_follows_the_session_services(client, member, coordinator, operator):
    series = SeriesFactory()  # no period: any date will do
    series.coordinators.add(coordinator)
    Participation.objects.create(series=series, operator=operator, since=timezone.localdate())
    session = SessionFactory(series=series, starts_at=timezone.now() + timedelta(days=3))
    url = _feed_url(feeds.feed_get_or_create(user=member))
    [before] = _parse(client.get(url)).events
    new_day = timezone.localdate() + timedelta(days=10)
    session_move(actor=coordinator, session=session, date=new_day, start_time=time(13, 30))
    [moved] = _parse(client.get(url)).events
    session_cancel(actor=coordinator, session=Session.objects.get(pk=session.pk), reason="Congé de Mme X")
    [cancelled] = _parse(client.get(url)).events
    assert before["UID"] == moved["UID"] == cancelled["UID"]
    assert (before["SEQUENCE"], moved["SEQUENCE"], cancelled["SEQUENCE"]) == (0, 1, 2)
    assert moved.start == datetime.combine(new_day, time(13, 30), tzinfo=BRUSSELS)
    assert cancelled["STATUS"] == "CANCELLED" and "Mme X" not in cancelled.to_ical().decode()


def test_wall_time_survives_the_october_clock_change(client, member, series):
    before = SessionFactory(
        series=series, starts_at=_brussels(2020, 10, 19, 13, 30), ends_at=_brussels(2020, 10, 19, 15, 0)
    )
    after = SessionFactory(
        series=series, starts_at=_brussels(2020, 10, 26, 13, 30), ends_at=_brussels(2020, 10, 26, 15, 0)
    )
    # A week apart on the wall clock, a week and an hour apart in UTC.
    assert after.starts_at.astimezone(UTC) - before.starts_at.astimezone(UTC) == timedelta(days=7, hours=1)
    login(client, member)
    for session, day in [(before, b"20201019"), (after, b"20201026")]:
        response = client.get(_ics_url(session))
        assert b"DTSTART;TZID=Europe/Brussels:" + day + b"T133000\r\n" in response.content
        assert b"DTEND;TZID=Europe/Brussels:" + day + b"T150000\r\n" in response.content
        # The VTIMEZONE in the file says the same, for apps that do not know the zone.
        cal = _parse(response)
        tz = cal.timezones[0].to_tz(lookup_tzid=False)
        start = cal.events[0]["DTSTART"].dt.replace(tzinfo=None)
        assert start.replace(tzinfo=tz).astimezone(UTC) == session.starts_at


def test_wall_time_survives_the_march_clock_change(client, member, series):
    session = SessionFactory(
        series=series, starts_at=_brussels(2021, 3, 29, 13, 30), ends_at=_brussels(2021, 3, 29, 14, 30)
    )
    response = login(client, member).get(_ics_url(session))
    assert b"DTSTART;TZID=Europe/Brussels:20210329T133000\r\n" in response.content


def test_commas_semicolons_and_newlines_are_escaped(client, member, db, operator):
    series = SeriesFactory(name="Réseau, Namur; crise\nhebdo")
    Participation.objects.create(series=series, operator=operator, since=timezone.localdate())
    venue = "Salle 2, CNP Saint-Martin; rue Saint-Hubert 84\n5100 Dave"
    session = SessionFactory(series=series, mode=Mode.IN_PERSON, venue=venue)
    response = login(client, member).get(_ics_url(session))
    assert b"SUMMARY:R\xc3\xa9seau\\, Namur\\; crise\\nhebdo\r\n" in response.content
    assert b"LOCATION:Salle 2\\, CNP Saint-Martin\\; rue Saint-Hubert 84\\n5100 Dave\r\n" in response.content
    [event] = _parse(response).events
    assert event["SUMMARY"] == series.name and event["LOCATION"] == venue


def test_entries_hold_no_confidential_text(client, member, coordinator, series, operator):
    series.description = "Situation de Mme X, née le 01/02/1980"
    series.save()
    session = SessionFactory(
        series=series,
        host_operator=OperatorFactory(name="Pléiade hôte"),
        status=Session.Status.CANCELLED,
        cancel_reason="Le Dr Martin est malade",
    )
    body = login(client, member).get(_ics_url(session)).content.decode()
    for secret in ["Mme X", "Dr Martin", "Pléiade hôte", coordinator.name, member.name, member.email, operator.name]:
        assert secret not in body


def test_description_holds_the_join_link_and_the_page_only(client, member, session, settings):
    settings.SITE_URL = "https://carrefour.example.be"
    [event] = _parse(login(client, member).get(_ics_url(session))).events
    page = f"https://carrefour.example.be/series/sessions/{session.public_id}/"
    join = video.session_join_url(session)
    # The member reads French: the file speaks the person's language.
    assert event["DESCRIPTION"].splitlines() == [
        f"Rejoindre la visioconférence\xa0: {join}",
        f"Page de la séance\xa0: {page}",
    ]
    assert event["LOCATION"] == join
    assert event["URL"] == page


def test_in_person_session_shows_the_venue_and_no_link(client, member, series):
    session = SessionFactory(series=series, mode=Mode.IN_PERSON, venue="Beauvallon, salle du conseil")
    [event] = _parse(login(client, member).get(_ics_url(session))).events
    assert event["LOCATION"] == "Beauvallon, salle du conseil"
    assert "http" not in event["DESCRIPTION"].splitlines()[0].split(": ")[0]
    assert video.series_video_url(series) not in event["DESCRIPTION"]


def test_hybrid_session_shows_the_venue_and_the_link(client, member, series):
    session = SessionFactory(series=series, mode=Mode.HYBRID, venue="CNP Saint-Martin")
    [event] = _parse(login(client, member).get(_ics_url(session))).events
    assert event["LOCATION"] == "CNP Saint-Martin"
    assert video.series_video_url(series) in event["DESCRIPTION"]


def test_in_person_session_falls_back_on_the_series_venue(client, member, series):
    series.default_venue = "Maison des associations"
    series.save()
    session = SessionFactory(series=series, mode=Mode.IN_PERSON, venue="")
    [event] = _parse(login(client, member).get(_ics_url(session))).events
    assert event["LOCATION"] == "Maison des associations"


def test_cancelled_session_is_marked_and_has_no_link(client, member, session):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED, sequence=F("sequence") + 1)
    [event] = _parse(login(client, member).get(_ics_url(session))).events
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    assert video.series_video_url(session.series) not in event.to_ical().decode()


# --- A person's feed ----------------------------------------------------------


def test_person_feed_lists_the_sessions_of_my_series_without_sign_in(client, member, operator, series, session):
    mine_too = SeriesFactory(name="Groupe de travail")
    Participation.objects.create(series=mine_too, operator=operator, since=timezone.localdate())
    other = SessionFactory(series=mine_too)
    SessionFactory(series=SeriesFactory(name="Pas la mienne"))
    left = SeriesFactory(name="Quittée")
    Participation.objects.create(series=left, operator=operator, since="2020-01-01", until="2020-06-30")
    SessionFactory(series=left)
    feed = feeds.feed_get_or_create(user=member)

    response = client.get(_feed_url(feed))
    cal = _parse(response)
    assert cal["METHOD"] == "PUBLISH"
    assert {e["UID"] for e in cal.events} == {f"{session.public_id}@carrefour", f"{other.public_id}@carrefour"}
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "set-cookie" not in response.headers
    cal.validate()


def test_coordinator_feed_holds_the_series_they_coordinate(client, coordinator, session):
    cal = _parse(client.get(_feed_url(feeds.feed_get_or_create(user=coordinator))))
    assert [e["UID"] for e in cal.events] == [f"{session.public_id}@carrefour"]


def test_feed_shows_six_months_back_and_everything_ahead(client, member, series):
    now = timezone.now()
    too_old = SessionFactory(series=series, starts_at=now - timedelta(days=200))
    recent = SessionFactory(series=series, starts_at=now - timedelta(days=150))
    far = SessionFactory(series=series, starts_at=now + timedelta(days=400))
    cal = _parse(client.get(_feed_url(feeds.feed_get_or_create(user=member))))
    uids = {e["UID"] for e in cal.events}
    assert calendar.session_uid(too_old) not in uids
    assert {calendar.session_uid(recent), calendar.session_uid(far)} <= uids


def test_feed_follows_moves_and_cancellations(client, member, session):
    url = _feed_url(feeds.feed_get_or_create(user=member))
    [before] = _parse(client.get(url)).events
    _move(session, by=timedelta(hours=3))
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED, sequence=F("sequence") + 1)
    [after] = _parse(client.get(url)).events
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == 2 and after["STATUS"] == "CANCELLED"
    assert after.start == before.start + timedelta(hours=3)


def test_a_cached_feed_follows_a_change_of_the_series(client, member, session):
    url = _feed_url(feeds.feed_get_or_create(user=member))
    client.get(url)
    series = session.series
    series.name = "Visioconférence renommée"
    series.save()
    [event] = _parse(client.get(url)).events
    assert str(event["SUMMARY"]) == "Visioconférence renommée"


def test_feed_across_the_clock_change(client, member, series):
    for day in (19, 26):
        SessionFactory(
            series=series, starts_at=_brussels(2020, 10, day, 13, 30), ends_at=_brussels(2020, 10, day, 15, 0)
        )
    with time_machine.travel(datetime(2020, 10, 1, tzinfo=UTC), tick=False):
        response = client.get(_feed_url(feeds.feed_get_or_create(user=member)))
    assert b"DTSTART;TZID=Europe/Brussels:20201019T133000\r\n" in response.content
    assert b"DTSTART;TZID=Europe/Brussels:20201026T133000\r\n" in response.content
    assert response.content.count(b"BEGIN:VTIMEZONE") == 1


def test_feed_of_a_person_without_series_is_an_empty_valid_calendar(client, outsider):
    cal = _parse(client.get(_feed_url(feeds.feed_get_or_create(user=outsider))))
    assert cal.events == [] and [tz["TZID"] for tz in cal.timezones] == ["Europe/Brussels"]
    cal.validate()


def test_feed_answers_head_requests(client, member, session):
    response = client.head(_feed_url(feeds.feed_get_or_create(user=member)))
    assert response.status_code == 200


@pytest.mark.parametrize("token", ["nope", "x" * 65, "a" * 43, "%00", "a%00" * 10, "%C3%A9" * 20, "' OR 1=1 --"])
def test_wrong_token_is_404(client, member, token):
    feeds.feed_get_or_create(user=member)
    assert client.get(f"/series/feeds/{token}.ics").status_code == 404


def test_regenerated_and_revoked_tokens_are_404(client, member, session):
    old = feeds.feed_get_or_create(user=member)
    old_url = _feed_url(old)
    new = feeds.feed_regenerate(user=member)
    assert new.token != old.token
    assert client.get(old_url).status_code == 404
    assert client.get(_feed_url(new)).status_code == 200
    assert feeds.feed_revoke(user=member) is True
    assert client.get(_feed_url(new)).status_code == 404
    assert not CalendarFeed.objects.filter(user=member).exists()


def test_feed_of_a_deactivated_person_is_404(client, member, session):
    feed = feeds.feed_get_or_create(user=member)
    member.is_active = False
    member.save()
    assert client.get(_feed_url(feed)).status_code == 404


def test_feed_logs_nothing_personal(client, member, session, caplog):
    feed = feeds.feed_get_or_create(user=member)
    with caplog.at_level(logging.DEBUG):
        client.get(_feed_url(feed))
    for secret in [feed.token, member.email, member.name, str(member.pk)]:
        assert secret not in caplog.text


@pytest.mark.parametrize("count", [1, 50])
def test_person_feed_query_count_is_fixed(client, member, series, count, django_assert_num_queries):
    SessionFactory.create_batch(count, series=series, host_operator=OperatorFactory())
    url = _feed_url(feeds.feed_get_or_create(user=member))
    # savepoint, feed and person, coordinated series, operators, participations,
    # what changed (one aggregate), sessions with their series, release
    # One more than before individual participants: the series a person takes part in their own name.
    with django_assert_num_queries(9):
        cal = _parse(client.get(url))
    assert len(cal.events) == count
    # Fetched again with nothing changed: served from the cache, without the sessions' query.
    with django_assert_num_queries(5):
        again = client.get(url)
    assert _parse(again).events[0]["UID"] == cal.events[0]["UID"]


@pytest.mark.parametrize("count", [1, 50])
def test_series_feed_query_count_is_fixed(client, series, count, django_assert_num_queries):
    SessionFactory.create_batch(count, series=series)
    # savepoint, series by token, what changed (one aggregate), sessions with their series, release
    with django_assert_num_queries(5):
        cal = _parse(client.get(_series_feed_url(series)))
    assert len(cal.events) == count


# --- A series' feed -----------------------------------------------------------


def test_series_feed_holds_all_its_sessions(client, series, session):
    SessionFactory(series=SeriesFactory())
    cal = _parse(client.get(_series_feed_url(series)))
    assert [e["UID"] for e in cal.events] == [calendar.session_uid(session)]
    assert cal["METHOD"] == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == series.name


def test_series_feed_with_a_wrong_token_is_404(client, member, series):
    other = SeriesFactory()
    assert client.get(_series_feed_url(series, token=other.feed_token)).status_code == 404
    assert client.get(_series_feed_url(series, token=feeds.feed_get_or_create(user=member).token)).status_code == 404
    assert client.get(_series_feed_url(series, token="y" * 80)).status_code == 404
    assert client.get(f"/series/{series.public_id}/feed/{'a%00' * 10}.ics").status_code == 404


def test_revoked_and_unknown_tokens_look_the_same(client, member):
    feed = feeds.feed_get_or_create(user=member)
    revoked_url, unknown_url = _feed_url(feed), _feed_url(CalendarFeed(token="b" * 43))
    feeds.feed_revoke(user=member)
    revoked, unknown = client.get(revoked_url), client.get(unknown_url)
    assert revoked.status_code == unknown.status_code == 404
    # The same page but for its own address and a fresh CSRF token.
    csrf = re.compile(rb'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*')
    assert csrf.sub(b"", revoked.content.replace(revoked_url.encode(), b"URL")) == csrf.sub(
        b"", unknown.content.replace(unknown_url.encode(), b"URL")
    )


def test_series_feed_token_can_be_regenerated(client, coordinator, series):
    old = _series_feed_url(series)
    feeds.series_feed_regenerate(actor=coordinator, series=series)
    series.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(_series_feed_url(series)).status_code == 200
    assert AuditEvent.objects.filter(action="series.feed_regenerate", actor=coordinator).exists()


def test_a_coordinator_regenerates_the_series_feed_from_the_series_page(client, coordinator, series):
    old = _series_feed_url(series)
    detail = reverse("meetings:series_detail", kwargs={"series_id": series.public_id})
    action = reverse("meetings:series_feed_regenerate", kwargs={"series_id": series.public_id})
    page = login(client, coordinator).get(detail).content.decode()
    assert old in page and f'action="{action}" data-confirm="' in page
    response = client.post(action, follow=True)
    assert response.redirect_chain == [(detail, 302)]
    series.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(_series_feed_url(series)).status_code == 200
    page = html.unescape(response.content.decode())
    assert _series_feed_url(series) in page and old not in page
    assert "Le calendrier de ce dispositif a une nouvelle adresse d'abonnement ; l'ancienne ne fonctionne plus." in page


@pytest.mark.parametrize("persona, status", [("member", 403), ("referent", 403), ("other_coordinator", 404)])
def test_only_who_may_change_the_series_regenerates_its_feed(client, request, series, persona, status):
    token = series.feed_token
    action = reverse("meetings:series_feed_regenerate", kwargs={"series_id": series.public_id})
    assert login(client, request.getfixturevalue(persona)).post(action).status_code == status
    series.refresh_from_db()
    assert series.feed_token == token


def test_removing_a_coordinator_gives_the_series_feed_a_new_address(client, coordinator, series):
    leaving = UserFactory(coordinator=True)
    series_update(actor=coordinator, series=series, coordinators=[coordinator, leaving])
    series.refresh_from_db()
    kept = series.feed_token  # adding a coordinator keeps the address
    series_update(actor=coordinator, series=series, coordinators=[coordinator])
    series.refresh_from_db()
    assert series.feed_token != kept
    assert client.get(_series_feed_url(series, token=kept)).status_code == 404
    assert client.get(_series_feed_url(series)).status_code == 200
    assert AuditEvent.objects.filter(action="series.feed_regenerate", actor=coordinator).count() == 1


def test_a_coordinator_who_leaves_the_series_changes_its_feed_address_too(coordinator, series):
    staying = UserFactory(coordinator=True)
    series.coordinators.add(staying)
    kept = series.feed_token
    series_update(actor=coordinator, series=series, coordinators=[staying])
    series.refresh_from_db()
    assert series.feed_token != kept and list(series.coordinators.all()) == [staying]


def test_feed_urls_are_absolute(db, member, series, settings):
    settings.SITE_URL = "https://carrefour.example.be/"
    feed = feeds.feed_get_or_create(user=member)
    assert calendar.person_feed_url(feed) == f"https://carrefour.example.be/series/feeds/{feed.token}.ics"
    assert calendar.series_feed_url(series) == (
        f"https://carrefour.example.be/series/{series.public_id}/feed/{series.feed_token}.ics"
    )


# --- Services -----------------------------------------------------------------


def test_feed_get_or_create_keeps_the_token(member):
    first = feeds.feed_get_or_create(user=member)
    assert feeds.feed_get_or_create(user=member).token == first.token
    assert len(first.token) >= 40


def test_regenerate_and_revoke_are_audited_and_idempotent(member):
    feeds.feed_regenerate(user=member)  # creates the feed
    assert CalendarFeed.objects.filter(user=member).count() == 1
    assert feeds.feed_revoke(user=member) is True
    assert feeds.feed_revoke(user=member) is False
    actions = list(AuditEvent.objects.filter(actor=member).values_list("action", flat=True).order_by("pk"))
    assert actions == ["calendar_feed.regenerate", "calendar_feed.revoke"]


# --- The settings page --------------------------------------------------------


def test_settings_page_without_feed_offers_to_create_one(client, member):
    response = login(client, member).get(reverse("meetings:feed_settings"))
    assert response.status_code == 200
    assert response.context["feed"] is None
    assert not CalendarFeed.objects.filter(user=member).exists()  # a GET writes nothing
    body = response.content.decode()
    assert reverse("meetings:feed_regenerate") in body and reverse("meetings:feed_revoke") not in body


def test_create_regenerate_and_revoke_from_the_settings_page(client, member, settings):
    settings.SITE_URL = "https://carrefour.example.be"
    login(client, member)
    response = client.post(reverse("meetings:feed_regenerate"))
    assert response.status_code == 302 and response["Location"] == reverse("meetings:feed_settings")
    feed = CalendarFeed.objects.get(user=member)

    page = client.get(reverse("meetings:feed_settings"))
    assert "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert f"https://carrefour.example.be/series/feeds/{feed.token}.ics" in body
    assert f"webcal://carrefour.example.be/series/feeds/{feed.token}.ics" in body
    for app in ["Outlook", "Google", "Apple", "iPhone"]:
        assert app in body
    assert 'for="feed-url"' in body and " style=" not in body and "<script>" not in body

    client.post(reverse("meetings:feed_regenerate"))
    assert CalendarFeed.objects.get(user=member).token != feed.token
    client.post(reverse("meetings:feed_revoke"))
    assert not CalendarFeed.objects.filter(user=member).exists()
    assert client.post(reverse("meetings:feed_revoke")).status_code == 302  # nothing left: still fine


def test_settings_actions_are_post_only(client, member):
    login(client, member)
    feed = feeds.feed_get_or_create(user=member)
    assert client.get(reverse("meetings:feed_regenerate")).status_code == 405
    assert client.get(reverse("meetings:feed_revoke")).status_code == 405
    assert CalendarFeed.objects.get(user=member).token == feed.token


def test_one_persons_actions_leave_others_feeds_alone(client, member, referent):
    theirs = feeds.feed_get_or_create(user=referent)
    login(client, member).post(reverse("meetings:feed_regenerate"))
    client.post(reverse("meetings:feed_revoke"))
    assert CalendarFeed.objects.get(user=referent).token == theirs.token


def test_series_video_provider_choices_are_known():
    # The calendar and the join button only know these three providers.
    assert set(Series.VideoProvider.values) == {"jitsi", "external", "none"}


def test_a_moved_session_says_where_it_moved_from(client, member, coordinator, session, settings):
    from django.utils import dateformat

    settings.SITE_URL = "https://carrefour.example.be"
    before = session.starts_at
    session_move(actor=coordinator, session=session, date=datetime(2020, 10, 29).date(), start_time=time(15))
    [event] = _parse(login(client, member).get(_ics_url(session))).events
    with translation.override("fr"):
        when = dateformat.format(timezone.localtime(before), "j F Y H:i")
    lines = event["DESCRIPTION"].splitlines()
    assert lines[0] == f"Déplacée depuis le {when}."
    assert lines[-1] == f"Page de la séance\xa0: https://carrefour.example.be/series/sessions/{session.public_id}/"
