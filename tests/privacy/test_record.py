"""The record of processing activities (GDPR art. 30): generated from the
registry and the settings, as a page and a DOCX, its download audited."""

import io

import docx
import pytest
from django.urls import reverse

from core.models import AuditEvent
from privacy import record as record_module
from privacy.record import processing_record
from privacy.registry import DELETE, HOLDERS, Holder

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_every_app_of_the_registry_is_in_one_activity():
    record = processing_record()
    covered = {label for activity in record.activities for label in activity.apps}
    assert {key.partition(".")[0] for key in HOLDERS} <= covered
    assert not [a for a in record.activities if a.generated]
    meetings = next(a for a in record.activities if a.key == "meetings")
    assert len(meetings.data) == len([k for k in HOLDERS if k.startswith("meetings.")])
    accounts = record.activities[0]
    assert accounts.data[0].items[:2] == ["nom", "adresse e-mail"]


def test_a_new_app_of_the_registry_gets_a_generated_entry(monkeypatch):
    # As if a new app held people: its entry is generated, its data read from its model.
    holders = {**HOLDERS, "auth.group": Holder({"user_set": DELETE}, ("name",))}
    monkeypatch.setattr(record_module, "HOLDERS", holders)
    generated = [a for a in processing_record().activities if a.generated]
    assert [a.key for a in generated] == ["auth"]
    assert [(c.label, c.items) for c in generated[0].data] == [("Groupe", ["nom"])]
    assert "À compléter" in generated[0].purpose


def test_retention_follows_the_settings(settings):
    settings.RETENTION_NOTIFICATION_DAYS = 90
    settings.RETENTION_AUDIT_DAYS = 3650
    activities = {a.key: a for a in processing_record().activities}
    assert "3 mois" in " ".join(activities["notifications"].retention)
    assert "10 ans" in " ".join(activities["audit"].retention)


def test_the_page_is_french_first_and_not_stored(client, admin_user, settings):
    settings.PRIVACY_CONTROLLER = "Réseau Santé Namur ASBL"
    client.force_login(admin_user)
    response = client.get(reverse("privacy:processing_record"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Registre des activités de traitement" in content
    assert "Réseau Santé Namur ASBL" in content
    assert "Base légale" in content
    assert "no-store" in response["Cache-Control"]


def test_the_docx_holds_the_same_record_and_its_download_is_audited(client, admin_user, settings):
    settings.PRIVACY_CONTROLLER = "Réseau Santé Namur ASBL"
    settings.RETENTION_AUDIT_DAYS = 3650
    client.force_login(admin_user)
    response = client.get(reverse("privacy:processing_record_docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    text = _docx_text(response.content)
    assert "Registre des activités de traitement" in text
    assert "Réseau Santé Namur ASBL" in text
    for activity in processing_record().activities:
        assert activity.name in text
    assert "10 ans" in text
    assert "Mesures de sécurité" in text
    event = AuditEvent.objects.get(action="processing_record.download")
    assert event.actor == admin_user


def test_the_page_runs_a_fixed_number_of_queries(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("privacy:processing_record")).status_code == 200
