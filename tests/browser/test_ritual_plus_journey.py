"""The weekly ritual, beyond a meeting tool: a referent gives the capacity
signal; the coordinator reads the capacity board with the keyboard; an absent
operator is not chased but its substitute is; a participant proposes a
correction to provisional minutes and the coordinator approves them in the
next live session."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.brussels import BRUSSELS
from meetings.models import (
    AgendaItemKind,
    AnswerType,
    InfoRoundAnswer,
    InfoRoundEntry,
    MinutesCorrection,
    Participation,
    Session,
)
from meetings.notifications import MeetingKind as Kind
from meetings.selectors.absences import OfficeHours, office_hours_of
from notifications.models import Notification
from notifications.scan import notifications_scan
from operators.models import MembershipRole

from ..factories import PASSWORD, MembershipFactory, OperatorFactory
from ..factories.agenda import session_with_agenda
from ..factories.minutes import provisional_session
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, user) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email, PASSWORD)


def _signal_question(session):
    return session.agenda_template.questions.create(
        position=9,
        prompt="Météo de capacité",
        answer_type=AnswerType.CAPACITY,
        asks_waiting_days=True,
        asks_places=True,
    )


def test_a_referent_gives_the_capacity_signal(page, series, operator, referent, coordinator):
    start = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    session = session_with_agenda(series, starts_at=start)
    question = _signal_question(session)

    _as(page, referent)
    visit(page, f"/series/sessions/{session.public_id}/info-round/operators/{operator.slug}/")
    page.get_by_label("Saturé").check()
    page.get_by_label("Délai d’attente (jours)").fill("21")
    page.get_by_label("Places disponibles").fill("0")
    page.get_by_role("button", name="Envoyer le tour de table").click()
    page.wait_for_load_state()
    axe_check(page)
    answer = InfoRoundAnswer.objects.get(question=question)
    assert (answer.capacity, answer.waiting_days, answer.places) == ("saturated", 21, 0)

    _as(page, coordinator)
    visit(page, f"/series/sessions/{session.public_id}/info-round/")
    strip = page.locator(".capacity-strip")
    expect(strip).to_contain_text("Canopée")
    expect(strip).to_contain_text("Saturé")  # the word, beside the colour
    expect(page.locator(".inforound-card")).to_contain_text("délai d’attente : 21 jours")
    screenshot(page, "capacity-compiled")


def test_the_coordinator_reads_the_capacity_board_with_the_keyboard(page, series, operator, coordinator, territory):
    other = OperatorFactory(name="Polaris", short_name="Polaris", territory=territory)
    Participation.objects.create(series=series, operator=other, since=datetime.date(2020, 9, 1))
    now = timezone.now().replace(microsecond=0)
    sessions = [session_with_agenda(series, starts_at=now - datetime.timedelta(weeks=w)) for w in (3, 2, 1)]
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(status=Session.Status.HELD)
    question = _signal_question(sessions[0])
    for session in sessions:
        for op, level, waiting in ((operator, "saturated", 30), (other, "available", 2)):
            entry = InfoRoundEntry.objects.create(
                session=session, operator=op, status="submitted", submitted_at=session.starts_at
            )
            InfoRoundAnswer.objects.create(entry=entry, question=question, capacity=level, waiting_days=waiting)

    _as(page, coordinator)
    visit(page, f"/series/{series.public_id}/")
    page.get_by_role("link", name="Tableau de capacité : qui est saturé, semaine après semaine").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.get_by_role("heading", name="Saturé depuis 3 semaines ou plus")).to_be_visible()
    expect(page.locator("main")).to_contain_text("saturé depuis 3 semaines d’affilée")

    # One tab stop into the grid, then the arrow keys.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-cell')"):
            break
    cells = page.locator("td[data-cell]")
    expect(cells.nth(0)).to_be_focused()
    expect(cells.nth(0).locator(".capacity-figures")).to_be_visible()  # the figures show on focus
    expect(cells.nth(0)).to_contain_text("30 jours")
    page.keyboard.press("ArrowRight")
    expect(cells.nth(1)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(cells.nth(4)).to_be_focused()  # second row (Polaris), same session
    expect(cells.nth(4)).to_contain_text("Disponible")
    page.keyboard.press("End")
    expect(cells.nth(5)).to_be_focused()
    page.keyboard.press("Tab")  # and out of the grid in one step
    assert not page.evaluate("document.activeElement.hasAttribute('data-cell')")
    expect(page.locator("svg.capacity-chart rect")).to_have_count(3)
    screenshot(page, "capacity-board")


def _working_day_ahead(series) -> datetime.date:
    """A working day at least three days ahead whose eve is a working day too."""
    today = timezone.localdate()
    hours: OfficeHours = office_hours_of(series, today, today + datetime.timedelta(days=30))
    day = today + datetime.timedelta(days=3)
    while not (hours.is_working_day(day) and hours.is_working_day(day - datetime.timedelta(days=1))):
        day += datetime.timedelta(days=1)
    return day


def test_an_absent_operator_is_not_chased_and_its_substitute_is(page, series, operator, referent, member):
    MembershipFactory(
        operator=operator, role=MembershipRole.SUBSTITUTE, user__name="Sam Remplaçant", user__email="sam@example.org"
    )
    day = _working_day_ahead(series)
    start = datetime.datetime.combine(day, datetime.time(13, 30), tzinfo=BRUSSELS)
    session = session_with_agenda(series, starts_at=start)

    # The referent declares the operator away that week, its substitute standing in.
    _as(page, referent)
    visit(page, "/series/absences/")
    page.get_by_label("Qui est absent").select_option(label="L’opérateur Canopée")
    page.get_by_label("Du").fill((day - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Au (inclus)").fill(day.isoformat())
    page.get_by_label("Suppléant", exact=True).select_option(label="Sam Remplaçant")
    page.get_by_role("button", name="Déclarer l’absence").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.locator("main table")).to_contain_text("Sam Remplaçant")

    # The eve of the session, in office hours: the reminder goes to the substitute only.
    eve = datetime.datetime.combine(day - datetime.timedelta(days=1), datetime.time(14, 0), tzinfo=BRUSSELS)
    notifications_scan(now=eve)
    reminded = set(
        Notification.objects.filter(kind=Kind.INFO_ROUND_REMINDER, object_id=str(session.pk)).values_list(
            "recipient__email", flat=True
        )
    )
    assert reminded == {"sam@example.org"}


def test_a_correction_to_provisional_minutes_is_approved_in_the_next_live_session(
    page, series, coordinator, operator, member
):
    session, minutes, following = provisional_session(series, coordinator, next_in_minutes=60)
    item = session.agenda_items.order_by("position").first()

    _as(page, member)
    visit(page, f"/series/sessions/{session.public_id}/minutes/")
    expect(page.locator("[data-minutes-provisional]")).to_have_text("Provisoire")
    page.get_by_label("Point de l’ordre du jour", exact=True).select_option(label=item.title)
    page.get_by_label("Correction que vous proposez").fill("Canopée était excusée, pas absente.")
    page.get_by_role("button", name="Envoyer la correction").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.locator("#corrections-heading + ul")).to_contain_text("Canopée était excusée, pas absente.")

    # The next session begins: the coordinator ticks the approval in the live session.
    Session.objects.filter(pk=following.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5), ends_at=timezone.now() + datetime.timedelta(hours=1)
    )
    approval = following.agenda_items.get(kind=AgendaItemKind.MINUTES_APPROVAL)
    _as(page, coordinator)
    visit(page, f"/series/sessions/{following.public_id}/live/")
    expect(page.get_by_role("heading", name=approval.title, exact=True)).to_be_visible()
    page.get_by_label("Accepter").check()
    page.get_by_role("button", name="Approuver le compte rendu").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.locator(f"#approval-{approval.pk}-heading + p")).to_contain_text("Approuvé le")
    assert MinutesCorrection.objects.get().status == "accepted"
    minutes.refresh_from_db()
    assert not minutes.provisional and minutes.approved_in_id == following.pk

    _as(page, member)
    visit(page, f"/series/sessions/{session.public_id}/minutes/")
    expect(page.locator("main")).to_contain_text("Approuvé le")
    expect(page.locator("[data-minutes-provisional]")).to_have_count(0)
    screenshot(page, "minutes-approved-next-session")
