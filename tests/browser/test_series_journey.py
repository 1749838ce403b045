"""From "let's meet weekly" to a scheduled pilot: series, slot poll, sessions
with join links, a join request, a moved session in the calendar feed."""

import datetime
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.utils import timezone

from meetings.models import JoinRequest, Series, Session, SlotPoll
from operators.models import MembershipRole

from ..factories import PASSWORD, MembershipFactory, OperatorFactory
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BRUSSELS = ZoneInfo("Europe/Brussels")
NAMES = ["Fil rouge", "Pléiade", "Emism", "Canopée", "Polaris"]


def _submit(page, form_selector: str) -> None:
    page.locator(f"{form_selector} button[type=submit]").last.click()
    page.wait_for_load_state()
    axe_check(page)


def _as(page, user) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email, PASSWORD)


def test_coordinator_schedules_a_pilot_from_a_slot_poll(page, live_server, coordinator, territory):
    referents = {}
    for name in NAMES:
        op = OperatorFactory(name=name, short_name=name, territory=territory)
        referents[name] = MembershipFactory(operator=op, role=MembershipRole.REFERENT).user
    sixth = OperatorFactory(name="Service de santé mentale", territory=territory)
    sixth_referent = MembershipFactory(operator=sixth, role=MembershipRole.REFERENT).user

    today = timezone.localdate()
    start = today + datetime.timedelta(days=7)
    end = start + datetime.timedelta(weeks=8) - datetime.timedelta(days=1)

    # The coordinator creates the series with a pilot period and the five operators.
    _as(page, coordinator)
    visit(page, "/series/new/")
    page.locator("[name=name]").fill("Visioconférence hebdomadaire")
    page.locator("[name=pilot_start]").fill(start.isoformat())
    page.locator("[name=pilot_end]").fill(end.isoformat())
    for name in NAMES:
        page.get_by_label(name, exact=True).check()
    _submit(page, "main form")
    series = Series.objects.get()
    assert page.url.endswith(f"/series/{series.public_id}/")

    # …invites the five operators to a slot poll with two candidate slots.
    page.locator(f"a[href$='/series/{series.public_id}/polls/new/']").click()
    page.wait_for_load_state()
    axe_check(page)
    page.locator("[name=title]").fill("Décider du moment opportun")
    page.locator("[name=deadline_date]").fill((today + datetime.timedelta(days=3)).isoformat())
    page.locator("[name=deadline_time]").fill("12:00")
    page.locator("[name='slots-0-weekday']").select_option("1")  # Tuesday
    page.locator("[name='slots-0-start_time']").fill("13:30")
    page.locator("[name='slots-0-duration']").fill("60")
    page.locator("[name='slots-1-weekday']").select_option("3")  # Thursday
    page.locator("[name='slots-1-start_time']").fill("09:00")
    page.locator("[name='slots-1-duration']").fill("60")
    _submit(page, "main form")
    poll = SlotPoll.objects.get()
    tuesday, thursday = poll.slots.order_by("weekday")

    # Two referents answer.
    for name, answers in (("Pléiade", ("yes", "no")), ("Canopée", ("if_need_be", "yes"))):
        _as(page, referents[name])
        visit(page, f"/series/polls/{poll.public_id}/")
        page.locator(f"input[name=slot_{tuesday.pk}][value={answers[0]}]").check()
        page.locator(f"input[name=slot_{thursday.pk}][value={answers[1]}]").check()
        _submit(page, "form[action$='/answer/']")
    assert poll.slots.get(pk=tuesday.pk).answers.count() == 2

    # The coordinator closes the poll on Tuesday 13:30: weekly sessions appear.
    _as(page, coordinator)
    visit(page, f"/series/polls/{poll.public_id}/")
    page.locator("form[action$='/close/'] select[name=slot]").select_option(str(tuesday.pk))
    _submit(page, "form[action$='/close/']")
    sessions = list(series.sessions.order_by("starts_at"))
    assert len(sessions) == 8
    assert {s.starts_at.astimezone(BRUSSELS).strftime("%a %H:%M") for s in sessions} == {"Tue 13:30"}
    assert page.locator("#upcoming-heading + div tbody tr").count() == 8

    # Ten minutes before the first session, the join link shows.
    first = sessions[0]
    with time_machine.travel(first.starts_at - datetime.timedelta(minutes=10), tick=True):
        visit(page, f"/series/{series.public_id}/")
        join = page.get_by_role("link", name=re.compile("visioconférence|videoconference", re.I)).first
        assert series.jitsi_room in join.get_attribute("href")
        screenshot(page, "series-with-sessions")

    # A referent of a sixth operator asks to join, and is accepted.
    _as(page, sixth_referent)
    visit(page, "/series/")
    page.locator(f"a[href$='/series/{series.public_id}/join/']").click()
    page.wait_for_load_state()
    axe_check(page)
    page.locator("[name=message]").fill("Nous souhaitons participer à l'échange hebdomadaire.")
    _submit(page, "main form")
    request = JoinRequest.objects.get()
    _as(page, coordinator)
    visit(page, f"/series/{series.public_id}/requests/{request.pk}/decide/")
    page.locator("input[name=decision][value=accept]").check()
    page.locator("[name=reply]").fill("Bienvenue !")
    _submit(page, "main form")
    assert series.participations.filter(operator=sixth, until__isnull=True).exists()
    _as(page, sixth_referent)
    visit(page, f"/series/{series.public_id}/")  # now part of the series

    # A session is moved; the person's calendar feed shows the new time.
    member = referents["Pléiade"]
    _as(page, member)
    visit(page, "/series/calendar/")
    page.locator("form[action$='/calendar/regenerate/'] button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page)
    feed_url = page.locator("#feed-url").input_value()
    moved = sessions[2]

    _as(page, coordinator)
    visit(page, f"/series/sessions/{moved.public_id}/edit/")
    page.locator("[name=start_time]").fill("15:00")
    page.locator("[name=end_time]").fill("16:00")
    _submit(page, "main form")
    moved.refresh_from_db()
    assert moved.starts_at.astimezone(BRUSSELS).strftime("%H:%M") == "15:00"
    screenshot(page, "moved-session")

    response = page.request.get(feed_url.replace(re.match(r"https?://[^/]+", feed_url).group(0), live_server.url))
    assert response.status == 200
    calendar = icalendar.Calendar.from_ical(response.body())
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    event = events[f"{moved.public_id}@carrefour"]
    assert event.decoded("DTSTART").astimezone(BRUSSELS).strftime("%H:%M") == "15:00"
    assert int(event["SEQUENCE"]) == 1
    assert Session.objects.filter(series=series).count() == 8
