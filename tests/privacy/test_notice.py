"""The privacy notice: public, French first, its figures from the settings."""

import pytest
from django.urls import reverse
from django.utils import translation

from privacy.models import NoticeText
from privacy.notice import duration_words

pytestmark = pytest.mark.django_db


def test_notice_is_public_and_names_the_controller_and_dpo(client, settings):
    settings.PRIVACY_CONTROLLER = "Réseau Santé Namur ASBL"
    settings.PRIVACY_DPO_EMAIL = "dpo@rsn.example.org"
    response = client.get(reverse("privacy:notice"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Réseau Santé Namur ASBL" in content
    assert 'href="mailto:dpo@rsn.example.org"' in content
    assert "Déclaration de confidentialité" in content
    assert "Base légale" in content


def test_retention_periods_follow_the_settings(client, settings):
    settings.RETENTION_INACTIVE_WARN_DAYS = 540
    settings.RETENTION_NOTIFICATION_DAYS = 90
    settings.RETENTION_AUDIT_DAYS = 3650
    content = client.get(reverse("privacy:notice")).content.decode()
    assert "18 mois" in content
    assert "3 mois" in content
    assert "10 ans" in content


def test_the_organisation_text_of_the_language_replaces_the_default(client, settings):
    NoticeText.objects.create(language="fr", introduction="Notre réseau coordonne les équipes mobiles.")
    NoticeText.objects.create(language="en", introduction="Our network coordinates mobile teams.")
    assert "Notre réseau coordonne" in client.get(reverse("privacy:notice")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("privacy:notice")).content.decode()
    assert "Our network coordinates" in content
    assert "Privacy notice" in content


def test_without_a_text_the_default_names_the_controller(client, settings):
    settings.PRIVACY_CONTROLLER = "Plate-forme de concertation"
    content = client.get(reverse("privacy:notice")).content.decode()
    assert "Plate-forme de concertation gère ce portail" in content


def test_every_page_links_to_the_notice(client, outsider):
    client.force_login(outsider)
    assert reverse("privacy:notice") in client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.parametrize(
    ("days", "words"), [(730, "2 ans"), (365, "1 an"), (30, "1 mois"), (540, "18 mois"), (45, "45 jours")]
)
def test_durations_read_as_a_person_says_them(days, words):
    with translation.override("fr"):
        assert duration_words(days) == words
