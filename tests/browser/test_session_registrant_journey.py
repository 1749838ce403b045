"""A professional registered to one session only opens the page the
invitation and the calendar file link to (the session page is not theirs),
downloads the calendar file and cancels; a coordinator sets the session's
places on its form and records the individual participants' attendance on
the live page."""

import re

import icalendar
import pytest
from django.core import mail
from playwright.sync_api import expect

from notifications.delivery import notification_send
from notifications.models import Notification
from notifications.scan import notifications_scan
from registrations.models import ParticipantAttendance, Registration

from ..factories import PASSWORD, RegistrationFactory
from ..factories.minutes import session_under_way
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _send_due() -> None:
    notifications_scan()
    for pk in Notification.objects.filter(state=Notification.State.PENDING).values_list("pk", flat=True):
        notification_send(notification_id=pk)


def test_a_session_registrant_opens_their_page_from_the_invitation_and_cancels(
    page, live_server, thematic, date, outsider
):
    registration = RegistrationFactory(series=thematic, session=date, user=outsider)
    _send_due()
    invitation = next(m for m in mail.outbox if m.to == [outsider.email])
    link = re.search(r"https?://[^/\s]+(/registrations/sessions/\S+/mine/)", invitation.body).group(1)
    ics = icalendar.Calendar.from_ical(invitation.attachments[0][1]).walk("VEVENT")[0]
    assert str(ics["URL"]).endswith(link)  # the calendar file links to the same page

    sign_in(page, outsider.email, PASSWORD)
    visit(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text(thematic.name)
    expect(page.get_by_text("Inscrit·e")).to_be_visible()
    expect(page.get_by_text("heure de Bruxelles")).to_be_visible()
    screenshot(page, "session-registrant-page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")

    page.get_by_role("button", name="Annuler mon inscription").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.url.endswith(link)
    expect(page.get_by_text("Votre inscription est annulée.")).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_a_coordinator_sets_the_places_then_takes_the_participants_attendance_live(
    page, live_server, thematic, date, coordinator
):
    RegistrationFactory.create_batch(2, series=thematic, session=date)
    waiting = RegistrationFactory(series=thematic, session=date, status=Registration.Status.WAITING)
    sign_in(page, coordinator.email, PASSWORD)

    # Fewer places than people confirmed: said next to the field; more: the person waiting is offered one.
    visit(page, f"/series/sessions/{date.public_id}/edit/")
    places = page.get_by_label("Places")
    expect(places).to_have_value("2")
    places.fill("1")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.locator("#id_capacity ~ .invalid-feedback, #error_1_id_capacity").first).to_contain_text(
        "2 personnes sont déjà confirmées"
    )
    page.get_by_label("Places").fill("3")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.wait_for_load_state()
    axe_check(page)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED

    # The session under way: the individual participants are on the live page, their attendance saved at once.
    live = session_under_way(thematic)
    person = RegistrationFactory(series=thematic, session=live, user__name="Karim Haddad").user
    visit(page, f"/series/sessions/{live.public_id}/live/")
    expect(page.get_by_role("heading", name="Participant·es à titre individuel")).to_be_visible()
    page.get_by_label("Présence : Karim Haddad").select_option("present")
    expect(page.locator(f"#att-person-status-{person.pk}")).to_have_text("Enregistré")
    axe_check(page)
    screenshot(page, "live-individual-participants")
    assert ParticipantAttendance.objects.get(session=live, user=person).status == "present"
