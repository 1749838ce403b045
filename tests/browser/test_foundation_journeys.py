"""The first journeys: an invited person joins, a coordinator edits the
directory, a referent invites a colleague."""

import re

import pytest
from django.core import mail

from operators.models import MembershipRole, Operator

from ..factories import PASSWORD
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _invitation_link(live_server) -> str:
    body = mail.outbox[-1].body
    match = re.search(r"https?://\S+/accounts/invite/\S+/", body)
    assert match, body
    return match.group(0).replace(re.match(r"https?://[^/]+", match.group(0)).group(0), live_server.url)


def test_invited_person_sets_a_password_and_signs_in(page, live_server, coordinator, operator):
    sign_in(page, coordinator.email, PASSWORD)
    visit(page, "/accounts/invitations/new/")
    page.get_by_label("Adresse e-mail").fill("nouvelle@example.org")
    page.get_by_label("Nom", exact=True).fill("Nora Nouvelle")
    page.get_by_label("Opérateur").select_option(label=str(operator))
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("nouvelle@example.org").first.is_visible()

    link = _invitation_link(live_server)
    page.context.clear_cookies()
    visit(page, link)
    page.get_by_label(re.compile(r"^\s*Mot de passe\s*\*?\s*$")).fill("Un mot de passe solide 2020")
    page.get_by_label("Mot de passe (confirmation)").fill("Un mot de passe solide 2020")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("heading", name=re.compile("Bonjour Nora")).is_visible()
    assert page.get_by_role("link", name="Canopée").first.is_visible()

    # Signed out, the new password works.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    sign_in(page, "nouvelle@example.org", "Un mot de passe solide 2020")
    visit(page, "/operators/")
    assert page.get_by_role("link", name="Canopée").is_visible()
    screenshot(page, "invited-person-directory")


def test_coordinator_searches_the_directory_and_edits_an_operator(page, coordinator, operator, other_operator):
    sign_in(page, coordinator.email, PASSWORD)
    visit(page, "/operators/")
    page.get_by_role("textbox", name="Rechercher").fill("canopee")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("link", name="Canopée").is_visible()
    assert page.get_by_role("link", name="Polaris").count() == 0

    page.get_by_role("link", name="Canopée").click()
    page.get_by_role("link", name="Modifier").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Description").fill("Accueil et orientation, 7 jours sur 7.")
    page.get_by_label("Téléphone").fill("081 72 11 11")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("Accueil et orientation, 7 jours sur 7.").is_visible()
    operator = Operator.objects.get(pk=operator.pk)
    assert operator.phone == "081 72 11 11"
    screenshot(page, "coordinator-edits-operator")


def test_referent_invites_a_colleague(page, live_server, referent, operator):
    sign_in(page, referent.email, PASSWORD)
    visit(page, f"/operators/{operator.slug}/")
    page.get_by_role("link", name="Gérer l'équipe").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name="Inviter un collègue").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Adresse e-mail").fill("collegue@example.org")
    page.get_by_label("Rôle").select_option(MembershipRole.SUBSTITUTE.value)
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("cell", name="collegue@example.org", exact=True).is_visible()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["collegue@example.org"]
    screenshot(page, "referent-invites-colleague")
