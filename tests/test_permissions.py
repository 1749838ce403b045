"""Every URL pattern, every persona: an expected outcome or the test fails.

A new URL without an entry in EXPECTED makes `test_every_url_has_expectations`
fail: deny by default starts with knowing who may see what.

Each area of the portal may keep its table in a module listed in AREAS: it
defines EXPECTED, POST_ONLY and a fixture-driven `url_kwargs(request)`.
"""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.middleware import ALLOWED_VIEWS
from accounts.models import Invitation
from accounts.services import invitation_create

from .conftest import PERSONAS
from .factories import totp_authenticator

LOGIN = "login"  # a redirect to the sign-in page
OK = 200

# Outcomes in PERSONAS order:
# anonymous, outsider, other_member, member, referent, other_coordinator, coordinator, admin,
# individual, session_registrant
EXPECTED = {
    "core:home": (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "core:healthz": (OK,) * 10,
    "core:language_set": (405,) * 10,  # POST only; tested in tests/core
    "accounts:profile": (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "accounts:invitation_list": (LOGIN, 403, OK, 403, OK, OK, OK, OK, 403, 403),
    "accounts:invitation_create": (LOGIN, 403, OK, 403, OK, OK, OK, OK, 403, 403),
    # A coordinator manages only the teams of the operators of their series.
    "accounts:invitation_resend": (LOGIN, 404, 404, 404, 302, 404, 302, 302, 404, 404),
    "accounts:invitation_revoke": (LOGIN, 404, 404, 404, 302, 404, 302, 302, 404, 404),
    "accounts:invitation_accept": (OK, 409, 409, 409, 409, 409, 409, 409, 409, 409),
    "operators:directory": (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "operators:create": (LOGIN, 403, 403, 403, 403, OK, OK, OK, 403, 403),
    "operators:export": (LOGIN, 403, 403, 403, 403, OK, OK, OK, 403, 403),
    "operators:detail": (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "operators:edit": (LOGIN, 403, 403, 403, OK, 403, OK, OK, 403, 403),
    "operators:members": (LOGIN, 403, 403, 403, OK, 403, OK, OK, 403, 403),
    "operators:membership_role": (LOGIN, 403, 403, 403, 302, 403, 302, 302, 403, 403),
    "operators:membership_remove": (LOGIN, 403, 403, 403, 302, 403, 302, 302, 403, 403),
}

POST_DATA = {"operators:membership_role": {"role": "member"}}
POST_ONLY = {
    "accounts:invitation_resend",
    "accounts:invitation_revoke",
    "operators:membership_role",
    "operators:membership_remove",
}

AREAS = [
    "tests.meetings.perm_series",
    "tests.meetings.perm_sessions",
    "tests.meetings.perm_polls",
    "tests.meetings.perm_calendar",
    "tests.meetings.perm_agenda",
    "tests.meetings.perm_needs",
    "tests.meetings.perm_minutes",
    "tests.meetings.perm_charter",
    "tests.meetings.perm_absences",
    "tests.meetings.perm_capacity",
    "tests.meetings.perm_corrections",
    "tests.notifications.perm_notifications",
    "tests.evaluations.perm_evaluations",
    "tests.accounts.perm_mfa",
    "tests.privacy.perm_privacy",
    # Before registrations: its last URL cancels the individual's registration.
    "tests.consultations.perm_consultations",
    "tests.registrations.perm_registrations",
    "tests.bassins.perm_bassins",
    "tests.clinical.perm_clinical",
    "tests.helpdesk.perm_helpdesk",
]
_AREA_KWARGS = []
for _name in AREAS:
    _module = importlib.import_module(_name)  # a missing table is an error, never a skip
    EXPECTED.update(_module.EXPECTED)
    POST_ONLY |= set(_module.POST_ONLY)
    POST_DATA.update(getattr(_module, "POST_DATA", {}))
    _AREA_KWARGS.append(_module.url_kwargs)

# Third-party URL sets, checked by their own tests below or by allauth's.
THIRD_PARTY_PREFIXES = ("admin:",)
ALLAUTH_PUBLIC = {
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_logout",
    "account_reset_password_from_key",
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_login_code_confirm",
    "account_request_login_code",
    "account_reauthenticate",
    "account_confirm_login_code",
    "account_confirm_password_reset_code",
    "account_reset_password_code_done",
}


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_has_expectations():
    names = _names(get_resolver())
    ours = {n for n in names if not n.startswith(THIRD_PARTY_PREFIXES) and n not in ALLAUTH_PUBLIC}
    missing = sorted(ours - set(EXPECTED))
    assert not missing, f"URL patterns without expected outcomes per persona: {missing}"
    assert all(len(v) == len(PERSONAS) for v in EXPECTED.values())


@pytest.fixture
def url_kwargs(request, operator, referent, member, coordinator, series):
    invitation = invitation_create(actor=coordinator, email="invitee@example.org", operator=operator)
    assert isinstance(invitation, Invitation)
    to_accept = invitation_create(actor=coordinator, email="accepting@example.org", operator=operator)
    token, token_hash = Invitation.new_token()
    Invitation.objects.filter(pk=to_accept.pk).update(token_hash=token_hash)
    membership = operator.memberships.get(user=member)
    kwargs = {}
    for area_kwargs in _AREA_KWARGS:
        kwargs.update(area_kwargs(request))
    return kwargs | {
        "accounts:invitation_resend": {"pk": invitation.pk},
        "accounts:invitation_revoke": {"pk": invitation.pk},
        "accounts:invitation_accept": {"token": token},
        "operators:detail": {"slug": operator.slug},
        "operators:edit": {"slug": operator.slug},
        "operators:members": {"slug": operator.slug},
        "operators:membership_role": {"slug": operator.slug, "pk": membership.pk},
        "operators:membership_remove": {"slug": operator.slug, "pk": membership.pk},
    }


def _outcome(response) -> object:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def _answers(client, persona, url_kwargs, names) -> tuple[dict, dict]:
    """What each URL of `names` answers the persona, and what the table expects."""
    index = PERSONAS.index(persona)
    got, want = {}, {}
    for name in names:
        outcomes = EXPECTED[name]
        url = reverse(name, kwargs=url_kwargs.get(name))
        if name in POST_ONLY:
            data = POST_DATA.get(name, {})
            response = client.post(url, data)
        else:
            response = client.get(url)
        got[name], want[name] = _outcome(response), outcomes[index]
    return got, want


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_url_answers_as_expected(persona, persona_client, url_kwargs, other_member, other_coordinator):
    got, want = _answers(persona_client(persona), persona, url_kwargs, EXPECTED)
    assert got == want


def _persona_user(request, persona):
    return None if persona == "anonymous" else request.getfixturevalue("admin_user" if persona == "admin" else persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_with_the_second_factor_required_the_table_holds_for_those_who_set_it_up(
    request, persona, persona_client, url_kwargs, other_member, other_coordinator, settings
):
    """Production requires a second factor (settings.SECOND_FACTOR_REQUIRED): the
    personas who must have one (admins, coordinators, and the members of the
    operator taking part in the charter's series) have one here, and every page
    answers as the table says."""
    settings.SECOND_FACTOR_REQUIRED = True
    user = _persona_user(request, persona)
    if user is not None and user.has_perm(settings.SECOND_FACTOR_PERMISSION):
        totp_authenticator(user)
    # allauth's own two-factor pages answer otherwise once one has a second
    # factor (tests/accounts/test_second_factor.py); every other page as the table says.
    names = [name for name in EXPECTED if not name.startswith("mfa_")]
    got, want = _answers(persona_client(persona), persona, url_kwargs, names)
    assert got == want


@pytest.mark.parametrize("persona", ["coordinator", "admin", "member"])
def test_without_a_second_factor_every_page_leads_to_its_set_up(
    request, persona, persona_client, url_kwargs, other_member, other_coordinator, settings
):
    """A coordinator, an admin, a member of an operator taking part in a series
    under a charter, none with a second factor yet: every page of the table
    but the set-up's own, signing out, the health check and the language
    switch leads to the set-up, never to content."""
    settings.SECOND_FACTOR_REQUIRED = True
    client = persona_client(persona)
    set_up = reverse("mfa_activate_totp")
    reached = {}
    for name in EXPECTED:
        if name in ALLOWED_VIEWS:
            continue
        url = reverse(name, kwargs=url_kwargs.get(name))
        response = client.post(url, POST_DATA.get(name, {})) if name in POST_ONLY else client.get(url)
        if not (response.status_code == 302 and response["Location"] == set_up):
            reached[name] = response.status_code
    assert reached == {}


@pytest.mark.parametrize("persona", PERSONAS)
def test_django_admin_is_for_admins_only(persona, persona_client, other_member, other_coordinator, referent, member):
    response = persona_client(persona).get(reverse("admin:index"))
    if persona == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/login/" in response["Location"]
