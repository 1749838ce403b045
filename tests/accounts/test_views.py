import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, User
from operators.models import MembershipRole

from ..conftest import login

HOSTILE = ["", "x" * 100_000, "<script>alert(1)</script>", "\x00\x01"]


def _invite(client, **data):
    payload = {"email": "nora@example.org", "name": "Nora", "language": "fr", "role": "member", **data}
    return client.post(reverse("accounts:invitation_create"), payload)


def test_invitation_form_shows_only_the_referents_operators(client, referent, operator, other_operator):
    response = login(client, referent).get(reverse("accounts:invitation_create"))
    form = response.context["form"]
    assert list(form.fields["operator"].queryset) == [operator]
    assert "as_coordinator" not in form.fields


def test_invitation_create_redirects_to_the_team_page(client, referent, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(login(client, referent), operator=operator.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("operators:members", kwargs={"slug": operator.slug})
    assert Invitation.objects.get().operator == operator
    assert len(mail.outbox) == 1


def test_referent_cannot_invite_to_another_operator_by_id(client, referent, other_operator):
    response = _invite(login(client, referent), operator=other_operator.pk)
    assert response.status_code == 200
    assert "operator" in response.context["form"].errors
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("value", HOSTILE)
def test_invitation_form_refuses_hostile_email(client, coordinator, operator, value):
    response = _invite(login(client, coordinator), email=value, operator=operator.pk)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("value", ["abc", "99999999", "<b>", "x" * 10_000])
def test_invitation_form_refuses_a_wrong_operator_id(client, coordinator, value):
    response = _invite(login(client, coordinator), operator=value)
    assert response.status_code == 200
    assert response.context["form"].errors["operator"]


def test_invitation_form_errors_speak_french(client, coordinator):
    response = _invite(login(client, coordinator), email="pas-une-adresse")
    assert "Saisissez une adresse e-mail valide" in response.content.decode()


def test_accept_page_creates_the_account_and_signs_in(client, coordinator, operator):
    invitation = Invitation.objects.get(
        pk=__import__("accounts.services", fromlist=["x"])
        .invitation_create(actor=coordinator, email="nora@example.org", operator=operator, role=MembershipRole.MEMBER)
        .pk
    )
    token, token_hash = Invitation.new_token()
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash)
    url = reverse("accounts:invitation_accept", kwargs={"token": token})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "Nora", "language": "fr", "password1": "Un mot de passe solide", "password2": "autre chose"}
    )
    assert response.status_code == 200 and response.context["form"].errors["password2"]
    response = client.post(url, {"name": "Nora", "language": "fr", "password1": "123", "password2": "123"})
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="nora@example.org").exists()
    response = client.post(
        url,
        {
            "name": "Nora",
            "language": "fr",
            "password1": "Un mot de passe solide",
            "password2": "Un mot de passe solide",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).context["user"].email == "nora@example.org"
    assert client.get(url).status_code == 410  # used
    client.logout()
    assert client.get(url).status_code == 410


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["nope", "x" * 5000, "<script>"])
def test_unknown_tokens_answer_404(client, token):
    assert client.get(f"/accounts/invite/{token}/").status_code == 404


def test_profile_saves_name_and_language(client, member):
    response = login(client, member).post(reverse("accounts:profile"), {"name": "Olivier M.", "language": "en"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.language) == ("Olivier M.", "en")
    response = client.get(reverse("accounts:profile"))
    assert response.headers["Content-Language"] == "en"
    assert "My profile" in response.content.decode()


@pytest.mark.parametrize("name", ["", "   ", "x" * 100_000])
def test_profile_refuses_hostile_names(client, member, name):
    before = member.name
    response = login(client, member).post(reverse("accounts:profile"), {"name": name, "language": "fr"})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    member.refresh_from_db()
    assert member.name == before


def test_profile_escapes_html(client, member):
    login(client, member).post(reverse("accounts:profile"), {"name": "<script>x</script>", "language": "fr"})
    body = client.get(reverse("core:home")).content.decode()
    assert "<script>x</script>" not in body and "&lt;script&gt;" in body


def test_revoke_and_resend_from_the_list(client, coordinator, operator, django_capture_on_commit_callbacks):
    from accounts.services import invitation_create

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(actor=coordinator, email="x@example.org", operator=operator)
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invitation_resend", kwargs={"pk": invitation.pk}))
    assert len(mail.outbox) == 2
    client.post(reverse("accounts:invitation_revoke", kwargs={"pk": invitation.pk}))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    response = client.post(reverse("accounts:invitation_resend", kwargs={"pk": invitation.pk}), follow=True)
    assert len(mail.outbox) == 2
    assert "révoquée" in response.content.decode() or "revoked" in response.content.decode()


def test_invitation_list_query_count_is_fixed(client, coordinator, operator, django_assert_num_queries):
    from accounts.services import invitation_create

    login(client, coordinator)
    invitation_create(actor=coordinator, email="a0@example.org", operator=operator)
    client.get(reverse("accounts:invitation_list"))  # warm the session
    with django_assert_num_queries(9) as one:
        client.get(reverse("accounts:invitation_list"))
    for i in range(1, 30):
        invitation_create(actor=coordinator, email=f"a{i}@example.org", operator=operator)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("accounts:invitation_list"))
    assert len(response.context["page"].object_list) == 30


def test_login_is_rate_limited(client, member, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    url = reverse("account_login")
    for _ in range(3):
        client.post(url, {"login": member.email, "password": "wrong"})
    response = client.post(url, {"login": member.email, "password": "wrong"})
    assert "Too many failed login attempts" in str(response.context["form"].errors) or (
        "Trop de tentatives" in str(response.context["form"].errors)
    )
    # Even the right password is refused until the limit expires.
    response = client.post(url, {"login": member.email, "password": "a-long-test-password-42"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
