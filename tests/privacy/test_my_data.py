"""My data: a person asks for a copy, downloads the ZIP (logged), closes their account."""

import datetime
import io
import json
import uuid
import zipfile

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from meetings.models import Attendance
from notifications.models import Notification
from privacy.exports import data_exports_purge
from privacy.models import DataExport

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy_of(client, django_capture_on_commit_callbacks):
    def ask(user):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("privacy:my_data_request"))
        assert response.status_code == 302
        return DataExport.objects.filter(user=user).latest("requested_at")

    return ask


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_person_downloads_everything_held_about_them(client, copy_of, member, session, operator):
    Attendance.objects.create(session=session, operator=operator, user=member, status="present")
    Notification.objects.create(recipient=member, kind="digest", object_type="x", object_id="1", state="sent")
    member.name = "=SOMME(A1:A9)"
    member.save()
    export = copy_of(member)
    assert export.status == DataExport.Status.DONE
    page = client.get(reverse("privacy:my_data")).content.decode()
    download = reverse("privacy:my_data_download", args=[export.public_id])
    assert download in page
    response = client.get(download)
    archive = _zip(response)
    data = json.loads(archive.read("carrefour.json"))
    assert data["profile"][0]["email"] == "olivier@example.org"
    assert [m["operator__name"] for m in data["operators.operatormembership"]] == [operator.name]
    assert [a["status"] for a in data["meetings.attendance"]] == ["present"]
    assert [n["kind"] for n in data["notifications.notification"]] == ["digest"]
    assert "data.export_request" in [e["action"] for e in data["core.auditevent"]]
    assert "'=SOMME(A1:A9)" in archive.read("csv/profile.csv").decode("utf-8-sig")
    export.refresh_from_db()
    assert export.downloaded_at is not None
    assert AuditEvent.objects.filter(action="data.export_download", actor=member, object_id=str(export.pk)).exists()


def test_someone_elses_copy_is_404(client, copy_of, member, referent):
    export = copy_of(member)
    client.force_login(referent)
    assert client.get(reverse("privacy:my_data_download", args=[export.public_id])).status_code == 404
    assert client.get(reverse("privacy:my_data_status", args=[export.public_id])).status_code == 404
    assert client.get(reverse("privacy:my_data_status", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/privacy/my-data/not-a-uuid/").status_code == 404


def test_a_copy_is_removed_after_a_day(client, copy_of, member):
    export = copy_of(member)
    name = export.file.name
    assert data_exports_purge(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    assert data_exports_purge(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED and not export.file
    assert not export.file.storage.exists(name)
    assert client.get(reverse("privacy:my_data_download", args=[export.public_id])).status_code == 404


def test_asking_twice_while_one_is_on_its_way_makes_one(client, member):
    client.force_login(member)
    with time_machine.travel(timezone.now(), tick=False):
        DataExport.objects.create(user=member)
        client.post(reverse("privacy:my_data_request"))
    assert DataExport.objects.filter(user=member).count() == 1


def test_a_person_closes_their_account_and_is_signed_out(client, member):
    client.force_login(member)
    response = client.post(reverse("privacy:account_close"), {"confirm": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name.startswith("Participant·e") and not member.is_active
    assert client.get(reverse("accounts:profile")).status_code == 302  # signed out


@pytest.mark.parametrize("data", [{}, {"confirm": ""}, {"confirm": "false"}])
def test_closing_without_confirming_is_refused(client, member, data):
    client.force_login(member)
    response = client.post(reverse("privacy:account_close"), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    member.refresh_from_db()
    assert member.is_active


def test_the_last_coordinator_is_asked_to_hand_over(client, coordinator, series):
    series.pilot_end = None
    series.save()
    client.force_login(coordinator)
    page = client.get(reverse("privacy:account_close")).content.decode()
    assert series.name in page and 'name="confirm"' not in page
    assert client.post(reverse("privacy:account_close"), {"confirm": "on"}).status_code == 400
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_an_admin_closes_an_account_with_a_reason(client, admin_user, member):
    client.force_login(admin_user)
    url = reverse("privacy:person_erase", args=[member.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and refused.context["form"].errors
    assert client.post(url, {"reason": "x" * 301}).status_code == 400
    response = client.post(url, {"reason": "Demande par courrier"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name.startswith("Participant·e")
    assert AuditEvent.objects.get(action="account.erase").detail["reason"] == "Demande par courrier"
    assert client.get(reverse("privacy:person_erase", args=[999999])).status_code == 404


def test_the_admin_page_of_a_person_links_to_closing_their_account(client, admin_user, member):
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_user_change", args=[member.pk])).content.decode()
    assert reverse("privacy:person_erase", args=[member.pk]) in page
