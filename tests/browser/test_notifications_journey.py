"""A person changes their notification preferences, then follows the
unsubscribe link of an email, signed out."""

import re

import pytest
from django.core import mail

from meetings.notifications import MeetingKind
from notifications.delivery import notification_send
from notifications.models import Notification

from ..factories import PASSWORD
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preferences_and_one_click_unsubscribe(page, live_server, member):
    sign_in(page, member.email, PASSWORD)
    page.get_by_role("button", name=member.name).click()  # the person's menu
    page.get_by_role("link", name="Notifications").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Compte rendu publié").uncheck()
    page.get_by_label("Résumé hebdomadaire", exact=True).select_option(label="vendredi")
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("Vos préférences de notification sont enregistrées.").is_visible()
    assert not page.get_by_label("Compte rendu publié").is_checked()
    member.refresh_from_db()
    assert MeetingKind.MINUTES_PUBLISHED in member.notifications_off and member.digest_weekday == 4

    # A reminder email arrives; its unsubscribe link works without signing in.
    row = Notification.objects.create(
        recipient=member, kind=MeetingKind.ACTION_OVERDUE, object_type="meetings.action", object_id="0"
    )
    from meetings.models import Action

    from ..factories import SeriesFactory, SessionFactory

    series = SeriesFactory()
    action = Action.objects.create(
        series=series,
        session=SessionFactory(series=series),
        description="Transmettre la liste des permanences",
        owner_operator=member.memberships.get().operator,
        due_date="2026-01-05",
    )
    Notification.objects.filter(pk=row.pk).update(object_id=str(action.pk))
    assert notification_send(notification_id=row.pk) == "sent"
    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/notifications/unsubscribe/\S+/", body).group(0)
    link = re.sub(r"^https?://[^/]+", live_server.url, link)
    page.context.clear_cookies()
    visit(page, link)
    page.get_by_role("button", name="Se désabonner").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_text("Vous ne recevrez plus ces e-mails").is_visible()
    member.refresh_from_db()
    assert MeetingKind.ACTION_OVERDUE in member.notifications_off
    screenshot(page, "notifications-unsubscribed")

    # The same link cut when copied: a page that says so and leads to the preferences.
    assert page.goto(link[:-6] + "/").status == 404
    axe_check(page)
    assert page.get_by_role("heading", name="Ce lien de désabonnement n'est pas valide").is_visible()
    page.get_by_role("link", name="Mes préférences de notification").click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url and "preferences" in page.url
