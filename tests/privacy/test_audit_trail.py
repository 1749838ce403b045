"""The audit trail page for admins: filters, pages, the CSV export (itself audited)."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from core.models import AuditEvent
from core.services import audit_record

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def events(coordinator, member):
    made = [
        audit_record(actor=coordinator, action="actions.export", detail={"count": 3}),
        audit_record(actor=member, action="minutes.view", obj=member),
        audit_record(actor=coordinator, action="minutes.view", obj=coordinator),
    ]
    AuditEvent.objects.filter(pk=made[0].pk).update(at=datetime.datetime(2026, 3, 2, 23, 30, tzinfo=BRUSSELS))
    return made


def _rows(response):
    return response.context["page"].object_list


def test_admin_filters_by_person_action_object_type_and_period(client, admin_user, events, coordinator):
    client.force_login(admin_user)
    url = reverse("privacy:audit_trail")
    assert {e.pk for e in _rows(client.get(url, {"person": "claire"}))} == {events[0].pk, events[2].pk}
    assert {e.pk for e in _rows(client.get(url, {"person": "OLIVIER@example"}))} == {events[1].pk}
    assert {e.pk for e in _rows(client.get(url, {"action": "minutes.view"}))} == {events[1].pk, events[2].pk}
    assert {e.pk for e in _rows(client.get(url, {"object_type": "accounts.user", "person": "Claire"}))} == {
        events[2].pk
    }
    # A Brussels day, whole: 23:30 on 2 March is still 2 March.
    response = client.get(url, {"since": "2026-03-02", "until": "2026-03-02"})
    assert [e.pk for e in _rows(response)] == [events[0].pk]


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2026-13-45"},
        {"action": "nothing.like.this"},
        {"person": "a\x00b"},
        {"person": "x" * 500},
        {"since": "2026-03-05", "until": "2026-03-01"},
    ],
)
def test_hostile_filters_answer_400_with_the_error(client, admin_user, events, query):
    client.force_login(admin_user)
    response = client.get(reverse("privacy:audit_trail"), query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert client.get(reverse("privacy:audit_trail_export"), query).status_code == 400


@pytest.mark.parametrize("count", [1, 60])
def test_query_count_is_fixed(client, admin_user, count, django_assert_num_queries):
    people = UserFactory.create_batch(3)
    for i in range(count):
        audit_record(actor=people[i % 3], action="minutes.view", obj=people[i % 3])
    client.force_login(admin_user)
    # session, user, the request's savepoint and its release, two filter choices, count, page
    with django_assert_num_queries(8):
        response = client.get(reverse("privacy:audit_trail"))
    assert len(_rows(response)) == min(count, 50)


def test_export_is_formula_safe_and_audited(client, admin_user, coordinator):
    coordinator.name = '=HYPERLINK("http://evil")'
    coordinator.save()
    audit_record(actor=coordinator, action="actions.export")
    client.force_login(admin_user)
    response = client.get(reverse("privacy:audit_trail_export"), {"person": "claire"})
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "actions.export" in text
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == admin_user
    assert export.detail == {"count": 1, "filters": ["person"]}


def test_a_coordinator_cannot_see_the_audit_trail(client, coordinator, events):
    client.force_login(coordinator)
    assert client.get(reverse("privacy:audit_trail")).status_code == 403
    assert client.get(reverse("privacy:audit_trail_export")).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()
