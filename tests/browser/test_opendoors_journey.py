"""A visit of the open-doors week booked as a registration: the booker takes the
calendar file; a self-registered professional waits for the last place, is
offered it when the first one cancels (an email with the deadline), confirms
it on the week's page and gets the calendar file."""

import datetime

import icalendar
import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from bassins.models import OpenDoorsWeek
from bassins.services import slot_publish
from core.brussels import BRUSSELS
from devtools.demo import DEMO_PASSWORD
from devtools.demo_bassins import seed_bassins
from notifications import delivery
from notifications.scan import notifications_scan
from operators.models import Operator

from ..factories import PASSWORD, UserFactory
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def visit_slot(db):
    """One place on a visit of the SSM of Forest, on the second day of the demo's week."""
    seed_bassins()
    week = OpenDoorsWeek.objects.get(bassin__slug="bruxelles-sud")
    host = Operator.objects.get(name="Service de santé mentale de Forest")
    day = week.starts_on + datetime.timedelta(days=1)
    return slot_publish(
        actor=host.memberships.order_by("pk").first().user,
        week=week,
        host=host,
        starts_at=datetime.datetime.combine(day, datetime.time(16, 30), tzinfo=BRUSSELS),
        duration=60,
        place="Salle Verrière",
        programme="La permanence du soir.",
        capacity=1,
    )


def _send_emails():
    now = timezone.now()
    notifications_scan(now=now)
    with time_machine.travel(now, tick=False):
        for pk in delivery.notifications_due(now=now):
            delivery.notification_send(notification_id=pk, now=now)


def test_a_booking_gives_a_calendar_file_and_the_waiting_list_moves_up(page, live_server, visit_slot):
    week_url = f"/bassins/open-doors/{visit_slot.week.public_id}/"
    newcomer = UserFactory(name="Zoé Lambert", email="zoe@example.org")  # signed up by herself, no service

    # Hugo books the last place and takes the calendar file.
    sign_in(page, "hugo.dewit@mm-saint-gilles.example", DEMO_PASSWORD)
    visit(page, week_url)
    card = page.locator("article", has_text="Salle Verrière")
    card.get_by_role("button", name="Réserver une place").click()
    page.wait_for_load_state()
    axe_check(page)
    card = page.locator("article", has_text="Salle Verrière")
    with page.expect_download() as download:
        card.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    ics = download.value.path().read_text(encoding="utf-8")
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["summary"]) == "Visite portes ouvertes : Service de santé mentale de Forest"
    assert event["dtstart"].dt.hour == 16 and event["dtstart"].dt.minute == 30
    assert "Hugo" not in ics and "Dewit" not in ics

    # Zoé, a professional who registered herself, comes too late: the waiting list, no calendar file.
    page.context.clear_cookies()
    sign_in(page, newcomer.email, PASSWORD)
    visit(page, week_url)
    page.locator("article", has_text="Salle Verrière").get_by_role(
        "button", name="S'inscrire sur la liste d'attente"
    ).click()
    page.wait_for_load_state()
    card = page.locator("article", has_text="Salle Verrière")
    assert "Vous êtes sur la liste d'attente." in card.inner_text()
    assert card.get_by_role("link", name="Ajouter à mon agenda (.ics)").count() == 0
    _send_emails()
    assert any("Liste d’attente" in m.subject for m in mail.outbox if m.to == [newcomer.email])

    # Hugo cancels: the place is offered to Zoé, who is told, with the deadline to confirm it.
    mail.outbox.clear()
    page.context.clear_cookies()
    sign_in(page, "hugo.dewit@mm-saint-gilles.example", DEMO_PASSWORD)
    visit(page, week_url)
    page.locator("article", has_text="Salle Verrière").get_by_role("button", name="Annuler ma réservation").click()
    page.wait_for_load_state()
    assert page.get_by_text("Votre réservation est annulée.").is_visible()
    _send_emails()
    told = [m for m in mail.outbox if m.to == [newcomer.email]]
    assert len(told) == 1 and told[0].subject.startswith("Une place s’est libérée pour vous")
    assert "Confirmez-la sur la page de la semaine avant le" in told[0].body

    # She confirms it on the week's page: her place, its calendar file, and the email with it.
    mail.outbox.clear()
    page.context.clear_cookies()
    sign_in(page, newcomer.email, PASSWORD)
    visit(page, week_url)
    card = page.locator("article", has_text="Salle Verrière")
    assert "elle est à vous si vous la confirmez avant le" in card.inner_text()
    card.get_by_role("button", name="Confirmer ma place").click()
    page.wait_for_load_state()
    axe_check(page)
    card = page.locator("article", has_text="Salle Verrière")
    assert "Vous avez une place." in card.inner_text()
    assert card.get_by_role("link", name="Ajouter à mon agenda (.ics)").is_visible()
    _send_emails()
    booked = [m for m in mail.outbox if m.to == [newcomer.email]]
    assert len(booked) == 1 and booked[0].attachments[0][0] == "visit.ics"
    screenshot(page, "semaine-portes-ouvertes-agenda")
