"""Carrefour has no sign-up: the login page, the closed sign-up page and the
"unknown account" email of a password reset say how to get an invitation,
and none of them sends people to the closed sign-up page."""

import pytest
from django.core import mail
from django.urls import reverse

INVITATION_FR = (
    "Carrefour est accessible sur invitation. Pour obtenir un compte, demandez au coordinateur de votre réseau "
    "ou à un référent de votre opérateur de vous inviter."
)
INVITATION_EN = (
    "Carrefour is open by invitation only. To get an account, ask the coordinator of your network "
    "or a referent of your operator to invite you."
)


def _text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "invitation"), [("fr", INVITATION_FR), ("en", INVITATION_EN)])
def test_the_login_page_says_how_to_get_an_invitation(client, language, invitation):
    client.cookies["django_language"] = language
    page = _text(client.get(reverse("account_login")))
    assert invitation in page
    assert reverse("account_signup") not in page
    assert "enregistrer au préalable" not in page and "sign up" not in page.lower()


@pytest.mark.django_db
def test_the_closed_sign_up_page_says_how_to_get_an_invitation(client):
    page = _text(client.get(reverse("account_signup")))
    assert INVITATION_FR in page
    assert reverse("account_login") in page


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "invitation"), [("fr", INVITATION_FR), ("en", INVITATION_EN)])
def test_a_password_reset_for_an_unknown_address_says_how_to_get_an_invitation(
    client, language, invitation, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = language
    with django_capture_on_commit_callbacks(execute=True):  # account emails leave from a worker after commit
        response = client.post(reverse("account_reset_password"), {"email": "inconnue@example.org"})
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["inconnue@example.org"]
    assert invitation in " ".join(email.body.split())
    assert "inconnue@example.org" in email.body
    assert reverse("account_signup") not in email.body
