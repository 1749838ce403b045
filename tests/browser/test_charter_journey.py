"""The confidentiality charter and the second factor, as people meet them: a
referent joins the clinical group by accepting its charter, then sees its
sessions; a new version locks them out until they accept again; a coordinator
sets up an authenticator app at first sign-in."""

import datetime

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from meetings.models import CharterAcceptance, JoinRequest, Series
from meetings.services.series import join_request_decide

from ..factories import PASSWORD, SeriesFactory, SessionFactory
from ..factories.charter import charter_publish_version
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, selector: str) -> None:
    page.locator(selector).click()
    page.wait_for_load_state()
    axe_check(page)


def _as(page, user) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email, PASSWORD)


@pytest.fixture
def clinical(coordinator):
    series = SeriesFactory(
        name="Groupe de concertations cliniques (Réseau Archipel)",
        kind=Series.Kind.CLINICAL,
        description="Ouvert à tous, seule condition : signature de la charte.",
    )
    series.coordinators.add(coordinator)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
    SessionFactory(series=series, starts_at=start, ends_at=start + datetime.timedelta(minutes=150))
    charter_publish_version(series, coordinator, title="Charte de confidentialité")
    return series


def test_a_referent_joins_accepts_the_charter_sees_the_sessions_and_accepts_again(
    page, live_server, clinical, coordinator, other_member, other_operator
):
    # The referent of Polaris asks to join: the charter is on the page, to accept with their name.
    _as(page, other_member)
    visit(page, "/series/")
    page.locator(f"a[href$='/series/{clinical.public_id}/join/']").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("heading", name="Charte de confidentialité").is_visible()
    page.locator("[name=message]").fill("Polaris souhaite participer aux concertations cliniques.")
    _submit(page, "main form button[type=submit]")  # the box not ticked: refused, the message kept
    assert page.locator(".form-error-summary").is_visible()
    assert "Polaris souhaite" in page.locator("[name=message]").input_value()
    page.get_by_label("J'ai lu cette charte et je m'engage à la respecter.").check()
    assert page.locator("[name=signed_name]").input_value() == "David Wauters"
    _submit(page, "main form button[type=submit]")
    request = JoinRequest.objects.get(series=clinical)
    assert CharterAcceptance.objects.get(user=other_member).version.number == 1

    # Accepted by the coordinators, the referent sees the group's sessions.
    join_request_decide(actor=coordinator, join_request=request, accept=True)
    visit(page, f"/series/{clinical.public_id}/")
    assert page.locator("#upcoming-heading + div tbody tr").count() == 1
    assert page.get_by_text("Vous avez accepté la charte de ce dispositif.").is_visible()

    # The coordinator writes a version 2, previews it and publishes it.
    _as(page, coordinator)
    visit(page, f"/series/{clinical.public_id}/charter/edit/")
    page.locator("[name=body]").fill(
        "## Confidentialité\n\nLes situations sont **anonymisées**.\n\n## Retours\n\nLes retours aussi."
    )
    _submit(page, "button[name=action][value=preview]")
    assert page.locator("#preview-heading ~ .charter-text strong").inner_text() == "anonymisées"
    _submit(page, "button[name=action][value=publish]")  # the confirmation dialog is accepted
    assert page.get_by_role("heading", name="Signataires de la charte").is_visible()
    screenshot(page, "charter-signatories")

    # The referent is locked out: every page of the group leads to the charter, until they accept again.
    _as(page, other_member)
    session = clinical.sessions.get()
    page.goto(f"/series/sessions/{session.public_id}/")
    page.wait_for_load_state()
    axe_check(page)
    assert f"/series/{clinical.public_id}/charter/" in page.url
    assert page.get_by_text("Vous aviez accepté la version 1.").is_visible()
    screenshot(page, "charter-to-accept-again")
    page.get_by_label("J'ai lu cette charte et je m'engage à la respecter.").check()
    _submit(page, "main form button[type=submit]")
    assert page.url.endswith(f"/series/sessions/{session.public_id}/")
    assert list(CharterAcceptance.objects.filter(user=other_member).values_list("version__number", flat=True)) == [
        2,
        1,
    ]


def test_a_coordinator_sets_up_an_authenticator_app_at_first_sign_in(page, live_server, coordinator, settings):
    settings.SECOND_FACTOR_REQUIRED = True
    _as(page, coordinator)
    # Straight to the set-up: allauth asks for the password again, then shows the QR code.
    assert "/accounts/reauthenticate/" in page.url or "/accounts/2fa/totp/activate/" in page.url
    if "/accounts/reauthenticate/" in page.url:
        axe_check(page)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        _submit(page, "main form button[type=submit]")
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    axe_check(page)
    screenshot(page, "second-factor-set-up")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("[name=code]").fill(pyotp.TOTP(secret).now())
    _submit(page, "main form button[type=submit]")
    assert page.url.endswith("/accounts/2fa/recovery-codes/")
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    visit(page, "/")
    assert page.url.endswith("/")
