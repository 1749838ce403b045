"""An admin runs the retention rules' dry run and reads the record of processing
activities: counts and the accounts concerned, nothing deleted; the record as a DOCX."""

import datetime

import docx
import pytest
from django.utils import timezone

from core.models import AuditEvent
from core.services import audit_record
from privacy.models import RetentionNotice

from ..factories import PASSWORD, UserFactory
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_runs_the_retention_dry_run(page, live_server, admin_user):
    long_ago = timezone.now() - datetime.timedelta(days=800)
    sleepers = [
        UserFactory(name="Léa Dormant", email="lea@example.org", last_login=long_ago),
        UserFactory(name="Marc Sommeil", email="marc@example.org", last_login=long_ago),
    ]
    old = audit_record(actor=sleepers[0], action="minutes.view")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=6 * 365))

    sign_in(page, admin_user.email, PASSWORD)
    page.get_by_role("button", name="Administration").click()
    page.get_by_role("link", name="Conservation : essai à blanc").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("button", name="Lancer l’essai à blanc").click()
    page.wait_for_load_state()
    axe_check(page)
    screenshot(page, "privacy-retention-dry-run")
    table = page.get_by_role("table", name="Ce que la tâche ferait maintenant")
    assert table.get_by_role("row", name="Comptes inactifs à avertir par e-mail 2").is_visible()
    assert table.get_by_role("row", name="Événements du journal d’audit à supprimer 1").is_visible()
    text = page.inner_text("main")
    assert "Rien n’a été modifié" in text
    # The accounts concerned are listed for the admin.
    assert "lea@example.org" in text and "marc@example.org" in text

    # A dry run: nobody warned or deactivated, the old event still there.
    assert not RetentionNotice.objects.exists()
    assert all(u.is_active for u in type(sleepers[0]).objects.filter(pk__in=[s.pk for s in sleepers]))
    assert AuditEvent.objects.filter(pk=old.pk).exists()


def test_an_admin_downloads_the_record_of_processing_activities(page, live_server, admin_user):
    sign_in(page, admin_user.email, PASSWORD)
    page.get_by_role("button", name="Administration").click()
    page.get_by_role("link", name="Registre des traitements").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("heading", name="Réunions, tours de table et comptes rendus").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx")
    document = docx.Document(str(download.value.path()))
    assert document.paragraphs[0].text == "Registre des activités de traitement"
    assert AuditEvent.objects.filter(action="processing_record.download", actor=admin_user).exists()
    visit(page, "/privacy/record/")
