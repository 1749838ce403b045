"""A person downloads their data and closes their account; the minutes they
appear in show their pseudonym; an admin finds them in the audit trail by it."""

import pytest

from meetings.models import Attendance
from meetings.services.minutes import minutes_transition
from privacy.erasure import pseudonym

from ..factories import PASSWORD
from ..factories.minutes import held_session
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_takes_their_data_and_leaves(
    page, live_server, series, operator, member, referent, coordinator, admin_user
):
    session, minutes = held_session(series, coordinator)
    Attendance.objects.create(session=session, operator=operator, user=member, status="present")
    minutes = minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=minutes.version)
    minutes_transition(actor=coordinator, minutes=minutes, to="published", version=minutes.version)
    minutes_url = f"/series/sessions/{session.public_id}/minutes/"

    sign_in(page, member.email, PASSWORD)
    visit(page, "/accounts/profile/")
    page.get_by_role("link", name="Télécharger mes données ou fermer mon compte").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Préparer une copie de mes données").click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le ZIP").click()
    assert download.value.suggested_filename.endswith(".zip")
    axe_check(page)
    screenshot(page, "privacy-my-data")

    page.get_by_role("link", name="Fermer mon compte").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Je comprends que mon compte est fermé définitivement").check()
    page.get_by_role("button", name="Fermer définitivement mon compte").click()
    page.wait_for_load_state()
    assert "Votre compte est fermé" in page.content()
    axe_check(page)  # the privacy notice

    page.context.clear_cookies()
    sign_in(page, referent.email, PASSWORD)
    visit(page, minutes_url)
    text = page.inner_text("main")
    assert pseudonym(member.pk) in text
    assert "Olivier Marchal" not in text

    # An administrator finds what the person did under their pseudonym.
    page.context.clear_cookies()
    sign_in(page, admin_user.email, PASSWORD)
    visit(page, "/privacy/audit/")
    page.get_by_label("Personne (nom ou e-mail)").fill(pseudonym(member.pk))
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    axe_check(page)
    actions = " ".join(page.locator("tbody tr").all_inner_texts())
    assert "data.export_download" in actions and "account.erase" in actions
