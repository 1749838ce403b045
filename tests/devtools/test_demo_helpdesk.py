"""The demo of the Bassin Sud's help desk: a dozen requests in every state, one handed over, one overdue."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from helpdesk.models import Request, Status
from helpdesk.selectors.requests import overdue_q
from operators.models import Territory


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    return Territory.objects.get(slug="bruxelles-sud")


def test_the_help_desk_has_a_dozen_requests_in_every_state(demo, client):
    requests = Request.objects.filter(bassin=demo)
    assert requests.count() == 12
    assert set(requests.values_list("status", flat=True)) == set(Status.values)
    assert requests.exclude(handed_to_kind="").count() == 1
    assert requests.filter(overdue_q(timezone.localdate()), status=Status.NEW).exists()
    client.force_login(User.objects.get(email="melanie.dubois@brusano.example"))
    page = client.get(reverse("helpdesk:queue", kwargs={"slug": demo.slug})).content.decode()
    assert "data-overdue-alert" in page
