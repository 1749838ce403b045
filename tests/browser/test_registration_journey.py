"""A professional without an account registers for the thematic concertation
of the Bassin Nord (seed 003), confirms the email address and gets the
confirmation with the calendar file; the last place taken, the next person
waits, and is offered the place when the first cancels from the email."""

import re

import pytest
from django.core import mail

from notifications.delivery import notification_send
from notifications.models import Notification
from notifications.scan import notifications_scan
from registrations.models import Question, Registration

from ..factories import PASSWORD
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _send_due() -> None:
    notifications_scan()
    for pk in Notification.objects.filter(state=Notification.State.PENDING).values_list("pk", flat=True):
        notification_send(notification_id=pk)


def _link(live_server, body: str, path: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", body)
    assert match, body
    return live_server.url + match.group(1)


def _email_to(address: str, subject: str):
    return next(m for m in reversed(mail.outbox) if m.to == [address] and subject in m.subject)


def test_register_verify_confirm_then_wait_and_be_promoted(page, live_server, thematic, date, outsider):
    Question.objects.create(series=thematic, text="Vos attentes ?")
    date.capacity = 1
    date.save()

    # A professional without an account finds the concertation and registers for its next date.
    visit(page, "/registrations/")
    page.get_by_role("link", name=thematic.name).click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("1 place restante").is_visible()
    page.get_by_role("link", name=re.compile("S'inscrire à cette date")).click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label(re.compile(r"^\s*Nom")).fill("Léa Vandamme")
    page.get_by_label(re.compile(r"^\s*Adresse e-mail")).fill("lea@example.org")
    page.get_by_label(re.compile(r"^\s*Mot de passe")).fill("Un mot de passe solide 2025")
    page.get_by_label(re.compile(r"^\s*Organisation")).fill("Maison médicale de Schaerbeek")
    page.get_by_label(re.compile(r"^\s*Profession")).fill("Assistante sociale")
    page.get_by_label("Vos attentes ?").fill("Mieux connaître le réseau du bassin")
    page.get_by_role("button", name="Créer mon compte et m’inscrire").click()
    page.wait_for_load_state()
    axe_check(page)
    assert "/accounts/confirm-email/" in page.url

    # The email address is confirmed from the link of the email: signed in, registered.
    visit(page, _link(live_server, mail.outbox[-1].body, "/accounts/confirm-email/"))
    page.get_by_role("button", name=re.compile("Confirmer")).click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.url.endswith("/registrations/mine/")
    assert page.get_by_role("cell", name="Inscrit·e").is_visible()
    screenshot(page, "registration-mine")

    # The confirmation email carries the calendar file; the page offers it too.
    _send_due()
    confirmation = _email_to("lea@example.org", "Inscription confirmée")
    assert confirmation.attachments[0][0] == "invite.ics"
    page.get_by_role("link", name=thematic.name).click()
    page.wait_for_load_state()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")

    # The last place is taken: the next professional goes on the waiting list.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    sign_in(page, outsider.email, PASSWORD)
    visit(page, f"/registrations/series/{thematic.public_id}/")
    assert page.get_by_text("0 place restante").is_visible()
    page.get_by_role("link", name=re.compile("S'inscrire sur la liste d'attente")).click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label(re.compile(r"^\s*Organisation")).fill("CPAS de Saint-Josse")
    page.get_by_label(re.compile(r"^\s*Profession")).fill("Assistant social")
    page.get_by_role("button", name="S'inscrire").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("Sur la liste d'attente").first.is_visible()

    # The first cancels in one click from the email; the place is offered to the one waiting.
    cancel = _link(live_server, confirmation.body, "/registrations/cancel/")
    page.context.clear_cookies()
    visit(page, cancel)
    page.get_by_role("button", name="Annuler mon inscription").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("Votre inscription est annulée.").is_visible()
    _send_due()
    promoted = _email_to(outsider.email, "Une place s’est libérée")
    sign_in(page, outsider.email, PASSWORD)
    visit(page, _link(live_server, promoted.body, "/registrations/").split("\n")[0])
    page.get_by_role("button", name="Confirmer ma place").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("Votre place est confirmée.").is_visible()
    assert Registration.objects.get(user=outsider).status == Registration.Status.REGISTERED
    screenshot(page, "registration-promoted")
