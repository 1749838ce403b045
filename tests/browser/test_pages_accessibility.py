"""Every page of the meetings area, visited as a coordinator and as a member, passes axe."""

import pytest
from django.core.management import call_command

from devtools.demo import NAMUR_SERIES
from meetings.models import Series, Session, SlotPoll

from .conftest import screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def test_coordinator_pages(page, demo):
    series = Series.objects.get(name=NAMUR_SERIES)  # the pilot (the demo also has a current season)
    session = series.sessions.filter(status=Session.Status.CANCELLED).get()
    poll = SlotPoll.objects.get(series=series)
    archipel = Series.objects.get(kind=Series.Kind.CLINICAL)
    sign_in(page, "claire.dubois@pfcsm.example", "carrefour-demo-2020")
    for path in [
        "/",
        "/series/",
        "/series/new/",
        f"/series/{series.public_id}/",
        f"/series/{series.public_id}/edit/",
        f"/series/{series.public_id}/operators/",
        f"/series/{series.public_id}/requests/",
        f"/series/{series.public_id}/recurrence/",
        f"/series/{series.public_id}/sessions/new/",
        f"/series/sessions/{session.public_id}/",
        f"/series/polls/{poll.public_id}/",
        f"/series/{series.public_id}/polls/new/",
        "/series/calendar/",
        "/operators/",
        "/operators/new/",
        "/operators/canopee/",
        "/operators/canopee/members/",
        "/accounts/invitations/",
        "/accounts/profile/",
    ]:
        visit(page, path)
    page.context.clear_cookies()
    sign_in(page, "helene.jacquet@archipel.example", "carrefour-demo-2020")
    upcoming = archipel.sessions.order_by("starts_at").first()
    for path in [
        f"/series/{archipel.public_id}/",
        f"/series/{archipel.public_id}/calendar-dates/",
        f"/series/sessions/{upcoming.public_id}/",
        f"/series/sessions/{upcoming.public_id}/edit/",
        f"/series/sessions/{upcoming.public_id}/cancel/",
    ]:
        visit(page, path)
    screenshot(page, "archipel-cancel-form")


def test_member_pages_in_english(page, demo):
    series = Series.objects.get(name=NAMUR_SERIES)  # the pilot (the demo also has a current season)
    sign_in(page, "olivier.marchal@beauvallon.example", "carrefour-demo-2020")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    visit(page, f"/series/{series.public_id}/")
    assert page.get_by_role("heading", name="Past sessions").is_visible()
    visit(page, f"/series/polls/{SlotPoll.objects.get(series=series).public_id}/")
    screenshot(page, "member-series-english")
