"""Two-factor sign-in: who must have it, the pages they may still open, and
setting it up at first sign-in with an authenticator app (the code computed
here with pyotp, as the person's phone would)."""

import re

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from config.settings import base
from core.request_cache import forget

from ..conftest import login
from ..factories import PASSWORD, totp_authenticator
from ..factories.charter import charter_publish_version

SET_UP = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.SECOND_FACTOR_REQUIRED = True


def test_production_requires_it_by_default():
    assert base.SECOND_FACTOR_REQUIRED is True


@pytest.mark.parametrize("persona", ["admin_user", "coordinator", "other_coordinator"])
def test_admins_and_coordinators_are_led_to_the_set_up(request, client, persona):
    login(client, request.getfixturevalue(persona))
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == SET_UP


def test_a_participant_under_a_charter_needs_it_an_ordinary_member_does_not(client, series, coordinator, member):
    login(client, member)
    assert client.get(reverse("core:home")).status_code == 200
    charter_publish_version(series, coordinator)
    forget(member)
    response = client.get(reverse("core:home"))
    assert response["Location"] == SET_UP


def test_nobody_else_is_asked(client, outsider, other_member):
    for person in (outsider, other_member):
        login(client, person)
        assert client.get(reverse("core:home")).status_code == 200


def test_signing_out_the_health_check_and_the_language_stay_open(client, coordinator):
    login(client, coordinator)
    assert client.get(reverse("core:healthz")).status_code in (200, 503)
    assert client.post(reverse("core:language_set"), {"language": "en", "next": "/"})["Location"] == "/"
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.post(reverse("account_logout"))["Location"] != SET_UP


def test_htmx_requests_are_told_where_to_go(client, coordinator, series):
    login(client, coordinator)
    response = client.get(
        reverse("meetings:series_detail", kwargs={"series_id": series.public_id}), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204 and response["HX-Redirect"] == SET_UP


def test_with_a_second_factor_everything_opens(client, coordinator):
    totp_authenticator(coordinator)
    login(client, coordinator)
    assert client.get(reverse("core:home")).status_code == 200


def test_a_coordinator_sets_it_up_at_first_sign_in(client, coordinator, series):
    response = client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    assert client.get(response["Location"])["Location"] == SET_UP
    # allauth asks for the password again before any change of authenticators.
    response = client.get(SET_UP)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get(SET_UP).content.decode()
    secret = re.search(
        r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"|value="([A-Z2-7]+)"[^>]*id="authenticator_secret"', page
    )
    secret = next(group for group in secret.groups() if group)
    assert client.post(SET_UP, {"code": "000000"}).status_code == 200  # a wrong code: refused, nothing set up
    assert not Authenticator.objects.filter(user=coordinator).exists()
    response = client.post(SET_UP, {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert set(Authenticator.objects.filter(user=coordinator).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    assert client.get(reverse("meetings:series_detail", kwargs={"series_id": series.public_id})).status_code == 200
