"""The notification pages: preferences, one-click unsubscribe, what coordinators see of a session's emails."""

import datetime
import html

import time_machine
from django.core import signing
from django.urls import reverse

from meetings.notifications import MeetingKind as Kind
from notifications import unsubscribe
from notifications.digest import DigestKind
from notifications.models import Notification

from ..conftest import login
from .conftest import NOW, scan_at, send_all


def test_preferences_turn_kinds_off_and_choose_the_digest_day(client, member):
    login(client, member)
    page = client.get(reverse("notifications:preferences"))
    assert "Résumé hebdomadaire".encode() in page.content
    response = client.post(
        reverse("notifications:preferences"), {"kinds": [Kind.MINUTES_PUBLISHED], "digest_weekday": "4"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert Kind.MINUTES_PUBLISHED not in member.notifications_off
    assert Kind.INFO_ROUND_OPEN in member.notifications_off
    assert member.digest_weekday == 4
    bad = client.post(reverse("notifications:preferences"), {"kinds": ["<script>"], "digest_weekday": "9"})
    assert bad.status_code == 200 and b"is-invalid" in bad.content
    member.refresh_from_db()
    assert member.digest_weekday == 4


def _row(user, kind):
    return Notification.objects.create(
        recipient=user, kind=kind, object_type="accounts.user", object_id=str(user.pk), period="test"
    )


def _unsubscribe_url(token):
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def test_one_click_unsubscribe_needs_no_login(client, member):
    url = _unsubscribe_url(unsubscribe.unsubscribe_token(notification=_row(member, Kind.SESSION_REMINDER)))
    page = client.get(url)
    assert page.status_code == 200 and b"<form" in page.content
    member.refresh_from_db()
    assert Kind.SESSION_REMINDER not in member.notifications_off
    # RFC 8058: the mail program posts "List-Unsubscribe=One-Click", without a CSRF token.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert Kind.SESSION_REMINDER in member.notifications_off


def test_an_unsubscribe_token_names_no_one(member):
    row = _row(member, Kind.MINUTES_PUBLISHED)
    token = unsubscribe.unsubscribe_token(notification=row)
    # Its readable part is the row's random key and the date; the rest is the signature.
    key, _timestamp, _signature = token.split(":")
    assert key == row.public_id.hex
    assert member.email not in token and unsubscribe.unsubscribe_read(token) == row


def _refused(response, status, title):
    assert response.status_code == status
    page = html.unescape(response.content.decode())
    assert title in page and f'href="{reverse("notifications:preferences")}"' in page
    return page


def test_an_unsubscribe_link_works_for_a_year_then_says_it_expired(client, member):
    with time_machine.travel(NOW, tick=False):
        url = _unsubscribe_url(unsubscribe.unsubscribe_token(notification=_row(member, Kind.ACTION_DUE)))
    with time_machine.travel(NOW + datetime.timedelta(days=364), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(days=366), tick=False):
        _refused(client.get(url), 410, "Ce lien de désabonnement a expiré")
        _refused(client.post(url, {"List-Unsubscribe": "One-Click"}), 410, "Ce lien de désabonnement a expiré")
    member.refresh_from_db()
    assert Kind.ACTION_DUE not in member.notifications_off


def test_a_changed_or_foreign_unsubscribe_link_is_refused_with_a_way_to_the_preferences(client, member, outsider):
    token = unsubscribe.unsubscribe_token(notification=_row(member, Kind.ACTION_DUE))
    key, timestamp, signature = token.split(":")
    other_key = _row(outsider, Kind.ACTION_DUE).public_id.hex
    former = signing.dumps({"u": member.pk, "k": Kind.ACTION_DUE}, salt=unsubscribe.UNSUBSCRIBE_SALT, compress=True)
    mandatory = unsubscribe.unsubscribe_token(notification=_row(member, Kind.SESSION_INVITATION))
    for bad in (
        "forged",
        token + "x",
        f"{other_key}:{timestamp}:{signature}",  # another person's key under this signature
        f"{key}:{timestamp[:-1]}{'1' if timestamp[-1] != '1' else '2'}:{signature}",  # another date
        former,  # the former links, which named the person
        mandatory,  # invitations cannot be turned off
    ):
        _refused(client.get(_unsubscribe_url(bad)), 404, "Ce lien de désabonnement n'est pas valide")
        _refused(client.post(_unsubscribe_url(bad)), 404, "Ce lien de désabonnement n'est pas valide")
    member.refresh_from_db()
    assert Kind.ACTION_DUE not in member.notifications_off
    member.is_active = False
    member.save()
    _refused(client.get(_unsubscribe_url(token)), 404, "Ce lien de désabonnement n'est pas valide")


def test_digest_unsubscribe(client, member):
    client.post(_unsubscribe_url(unsubscribe.unsubscribe_token(notification=_row(member, DigestKind.DIGEST))))
    member.refresh_from_db()
    assert member.digest_weekday is None


def test_coordinators_see_what_was_sent_about_a_session(client, pilot, coordinator, member):
    scan_at()
    send_all()
    login(client, coordinator)
    page = client.get(reverse("meetings:session_detail", kwargs={"session_id": pilot.public_id}))
    assert "E-mails concernant cette séance".encode() in page.content
    assert b"Olivier Marchal" in page.content
    login(client, member)
    page = client.get(reverse("meetings:session_detail", kwargs={"session_id": pilot.public_id}))
    assert "E-mails concernant cette séance".encode() not in page.content
