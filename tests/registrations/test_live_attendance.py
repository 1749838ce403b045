"""The individual participants on the session's live page: listed beside the
operators' people, with the same present / excused / absent choices, saved
by registrations, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from registrations.models import ParticipantAttendance, Registration

from ..conftest import login
from ..factories import RegistrationFactory, SessionFactory
from ..factories.minutes import session_under_way

Status = Registration.Status
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def live(series):
    return session_under_way(series)


def _live_url(session) -> str:
    return reverse("meetings:session_live", kwargs={"session_id": session.public_id})


def _record_url(session) -> str:
    return reverse("registrations:live_attendance", kwargs={"session_id": session.public_id})


def test_the_live_page_lists_the_individual_participants_with_their_attendance(
    client, series, live, coordinator, individual
):
    alone = RegistrationFactory(series=series, session=live, user__name="Karim Haddad", organisation_name="CPAS")
    RegistrationFactory(series=series, session=live, status=Status.WAITING, user__name="Nadia Waiting")
    RegistrationFactory(series=series, session=live, status=Status.CANCELLED, user__name="Yves Cancelled")
    RegistrationFactory(series=series, session=SessionFactory(series=series), user__name="Zoé Elsewhere")
    ParticipantAttendance.objects.create(session=live, user=alone.user, status="excused")
    page = login(client, coordinator).get(_live_url(live)).content.decode()
    assert "Participant·es à titre individuel" in page
    assert "Sarah Lejeune" in page and "Karim Haddad" in page and "(CPAS)" in page
    assert "Nadia Waiting" not in page and "Yves Cancelled" not in page and "Zoé Elsewhere" not in page
    assert reverse("registrations:live_attendance", kwargs={"session_id": live.public_id}) in page
    assert f'id="att-person-{alone.user.pk}"' in page
    chosen = page.split(f'id="att-person-{alone.user.pk}"')[1].split("</select>")[0]
    assert 'value="excused" selected' in chosen


def test_a_choice_is_saved_at_once_and_audited(client, series, live, coordinator, individual):
    login(client, coordinator)
    response = client.post(_record_url(live), {"user": individual.pk, "status": "present"}, **HTMX)
    assert response.status_code == 200 and "Enregistré" in response.content.decode()
    assert ParticipantAttendance.objects.get(session=live, user=individual).status == "present"
    client.post(_record_url(live), {"user": individual.pk, "status": ""}, **HTMX)  # back to "not recorded"
    assert not ParticipantAttendance.objects.filter(session=live).exists()
    assert AuditEvent.objects.filter(action="session.participant_attendance").count() == 2


@pytest.mark.parametrize(
    "data",
    [{"status": "present"}, {"user": "x", "status": "present"}, {"user": "99999999999", "status": "present"}],
)
def test_hostile_choices_say_why(client, series, live, coordinator, individual, data):
    response = login(client, coordinator).post(_record_url(live), data, **HTMX)
    assert response.status_code == 200 and "text-danger" in response.content.decode()
    assert not ParticipantAttendance.objects.exists()


def test_someone_not_registered_or_a_bad_status_is_refused(client, series, live, coordinator, member, individual):
    login(client, coordinator)
    refused = client.post(_record_url(live), {"user": member.pk, "status": "present"}, **HTMX).content.decode()
    assert "text-danger" in refused
    refused = client.post(_record_url(live), {"user": individual.pk, "status": "asleep"}, **HTMX).content.decode()
    assert "text-danger" in refused
    assert not ParticipantAttendance.objects.exists()


def test_without_javascript_back_to_the_live_page(client, series, live, coordinator, individual):
    response = login(client, coordinator).post(_record_url(live), {"user": individual.pk, "status": "absent"})
    assert response.status_code == 302 and response["Location"] == _live_url(live)
    assert ParticipantAttendance.objects.get(session=live, user=individual).status == "absent"


def test_a_member_cannot_record(client, series, live, member, individual):
    response = login(client, member).post(_record_url(live), {"user": individual.pk, "status": "present"}, **HTMX)
    assert response.status_code == 403


def test_the_live_page_reads_the_participants_in_a_fixed_number_of_queries(client, series, live, coordinator):
    login(client, coordinator)

    def count() -> int:
        client.get(_live_url(live))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_live_url(live)).status_code == 200
        return len(queries)

    RegistrationFactory(series=series)
    one = count()
    for n in range(8):
        RegistrationFactory(series=series, session=live if n % 2 else None)
        ParticipantAttendance.objects.create(
            session=live, user=Registration.objects.latest("pk").user, status="present"
        )
    assert count() == one
