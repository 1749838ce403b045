"""Notifications: who gets what, when, once, in their language, and what fails."""

import datetime
import html
import smtplib
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, NotificationKind
from core.notifications import scan, services
from core.notifications.digest import digest_context
from core.tasks import notification_send_task
from meetings.models import (
    Action,
    Decision,
    InfoRoundEntry,
    JoinRequest,
    Minutes,
    Participation,
    PollSlot,
    Session,
    SlotPoll,
)
from operators.models import MembershipRole

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory, SeriesFactory, SessionFactory, UserFactory

Kind = NotificationKind
BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=BRUSSELS)  # a Tuesday


def _rows(kind=None, **filters):
    qs = Notification.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(**filters)


def _recipients(kind, **filters):
    return set(_rows(kind, **filters).values_list("recipient__email", flat=True))


@pytest.fixture
def pilot(series, operator, other_operator, referent, member, other_member, coordinator):
    """`series` with both operators taking part; a session two days after NOW."""
    Participation.objects.create(series=series, operator=other_operator, since=datetime.date(2020, 9, 1))
    session = SessionFactory(
        series=series, starts_at=NOW + datetime.timedelta(days=2), ends_at=NOW + datetime.timedelta(days=2, hours=1)
    )
    return session


def _scan(at=NOW):
    return scan.notifications_scan(now=at)


def _send_all(at=NOW):
    with time_machine.travel(at, tick=False):
        for pk in services.notifications_due(now=at):
            services.notification_send(notification_id=pk, now=at)


# --- The scan ---------------------------------------------------------------


def test_an_upcoming_session_invites_every_participant_once(pilot, outsider):
    _scan()
    _scan()  # a second run (or a second beat) adds nothing
    assert _recipients(Kind.SESSION_INVITATION) == {
        "claire@example.org",
        "isabelle@example.org",
        "olivier@example.org",
        "david@example.org",
    }
    assert _rows(Kind.SESSION_INVITATION).count() == 4
    assert not _rows(recipient__email="paul@example.org").exists()


def test_a_session_beyond_the_horizon_is_not_announced_yet(pilot):
    Session.objects.filter(pk=pilot.pk).update(
        starts_at=NOW + datetime.timedelta(days=20), ends_at=NOW + datetime.timedelta(days=20, hours=1)
    )
    _scan()
    assert not _rows(Kind.SESSION_INVITATION).exists()


def test_a_moved_session_is_announced_again_and_a_cancelled_one_once(pilot):
    _scan()
    Session.objects.filter(pk=pilot.pk).update(sequence=1)
    _scan()
    assert set(_rows(Kind.SESSION_INVITATION).values_list("period", flat=True)) == {"v0", "v1"}
    Session.objects.filter(pk=pilot.pk).update(status=Session.Status.CANCELLED, sequence=2)
    _scan()
    _scan()
    assert _rows(Kind.SESSION_CANCELLED).count() == 4


def test_info_round_goes_to_operators_that_have_not_submitted(pilot, operator):
    InfoRoundEntry.objects.create(
        session=pilot, operator=operator, status=InfoRoundEntry.Status.SUBMITTED, submitted_at=NOW
    )
    _scan()
    assert _recipients(Kind.INFO_ROUND_OPEN) == {"david@example.org"}


@pytest.mark.parametrize(
    "before,kind",
    [
        (datetime.timedelta(days=4), None),
        (datetime.timedelta(days=2), Kind.INFO_ROUND_OPEN),
        (datetime.timedelta(hours=20), Kind.INFO_ROUND_REMINDER),
        (datetime.timedelta(hours=1), Kind.INFO_ROUND_LAST_CALL),
        (datetime.timedelta(minutes=-5), None),
    ],
)
def test_only_the_latest_info_round_step_is_due(before, kind):
    starts = NOW + before
    assert scan.info_round_step(starts_at=starts, open_days=3, now=NOW) == kind


def test_session_reminder_from_the_series_hours(pilot):
    _scan()
    assert not _rows(Kind.SESSION_REMINDER).exists()
    _scan(pilot.starts_at - datetime.timedelta(hours=23))
    assert _rows(Kind.SESSION_REMINDER).count() == 4


def test_turned_off_kinds_are_not_made_but_invitations_always_are(pilot, member):
    member.notifications_off = [Kind.INFO_ROUND_OPEN, Kind.SESSION_INVITATION]
    member.save()
    _scan()
    assert "olivier@example.org" not in _recipients(Kind.INFO_ROUND_OPEN)
    assert "olivier@example.org" in _recipients(Kind.SESSION_INVITATION)


def test_actions_due_soon_then_overdue_weekly(series, operator, member, referent, coordinator, session):
    action = Action.objects.create(
        series=series,
        session=session,
        description="Mettre à jour la liste des contacts de garde",
        owner_operator=operator,
        owner_user=member,
        due_date=datetime.date(2026, 3, 12),
    )
    _scan()
    assert _recipients(Kind.ACTION_DUE) == {"olivier@example.org"}
    _scan(NOW + datetime.timedelta(days=3))
    _scan(NOW + datetime.timedelta(days=4))
    _scan(NOW + datetime.timedelta(days=10))
    assert list(_rows(Kind.ACTION_OVERDUE).order_by("period").values_list("period", flat=True)) == ["w0", "w1"]
    Action.objects.filter(pk=action.pk).update(owner_user=None)
    _scan(NOW + datetime.timedelta(days=17))
    assert _recipients(Kind.ACTION_OVERDUE, period="w2") == {"olivier@example.org", "isabelle@example.org"}


def test_polls_join_requests_and_minutes(series, operator, other_operator, referent, other_member, coordinator):
    poll = SlotPoll.objects.create(series=series, title="Créneau", deadline=NOW + datetime.timedelta(hours=10))
    PollSlot.objects.create(poll=poll, weekday=1, start_time=datetime.time(13, 30), duration=60)
    request = JoinRequest.objects.create(series=series, operator=other_operator, requested_by=other_member)
    session = SessionFactory(series=series, starts_at=NOW - datetime.timedelta(days=1))
    Minutes.objects.create(session=session, status=Minutes.Status.PUBLISHED, published_at=NOW)
    _scan()
    assert _recipients(Kind.POLL_INVITATION) == {"isabelle@example.org"}
    assert _recipients(Kind.POLL_REMINDER) == {"isabelle@example.org"}
    assert _recipients(Kind.JOIN_REQUEST_RECEIVED) == {"claire@example.org"}
    assert _recipients(Kind.MINUTES_PUBLISHED) == {"claire@example.org", "isabelle@example.org"}
    JoinRequest.objects.filter(pk=request.pk).update(status=JoinRequest.Status.ACCEPTED, decided_at=NOW)
    _scan()
    assert _recipients(Kind.JOIN_REQUEST_DECIDED) == {"david@example.org"}


@pytest.mark.parametrize(
    "local,due",
    [
        (datetime.datetime(2026, 3, 23, 7, 59), False),  # Monday, winter time (UTC+1)
        (datetime.datetime(2026, 3, 23, 8, 0), True),
        (datetime.datetime(2026, 3, 30, 8, 0), True),  # the Monday after the clock change (UTC+2)
        (datetime.datetime(2026, 3, 30, 7, 30), False),
        (datetime.datetime(2026, 10, 26, 8, 0), True),  # the Monday after October's change
        (datetime.datetime(2026, 3, 24, 8, 0), False),  # a Tuesday
    ],
)
def test_the_digest_is_due_monday_at_eight_brussels_time_across_clock_changes(db, local, due):
    user = UserFactory()
    rows = scan._digests(local.replace(tzinfo=BRUSSELS))
    assert (user.pk in {r.recipient_id for r in rows}) is due


# --- Sending ----------------------------------------------------------------


def test_an_invitation_is_sent_once_with_a_calendar_request(pilot, member):
    _scan()
    _send_all()
    _send_all()
    messages = [m for m in mail.outbox if m.to == ["olivier@example.org"] and m.attachments]
    assert len(messages) == 1
    message = messages[0]
    assert message.subject.startswith("Séance programmée : Visioconférence des opérateurs carrefour")
    name, content, mimetype = message.attachments[0]
    assert "method=REQUEST" in mimetype
    cal = icalendar.Calendar.from_ical(content)
    assert cal["METHOD"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == f"{pilot.public_id}@carrefour"
    assert "mailto:olivier@example.org" in str(event["ATTENDEE"])
    # Invitations cannot be turned off: no unsubscribe header.
    assert "List-Unsubscribe" not in message.extra_headers
    assert _rows(Kind.SESSION_INVITATION, recipient=member).get().state == Notification.State.SENT


def test_a_move_after_the_invitation_says_moved(pilot, member):
    _scan()
    _send_all()
    Session.objects.filter(pk=pilot.pk).update(sequence=1)
    _scan()
    _send_all()
    subjects = [m.subject for m in mail.outbox if m.to == ["olivier@example.org"]]
    assert any("déplacée" in s for s in subjects)


def test_each_email_is_in_the_recipients_language_with_an_unsubscribe_link(pilot, member):
    member.language = "en"
    member.save()
    _scan()
    _send_all()
    message = next(m for m in mail.outbox if m.to == ["olivier@example.org"] and "info round" in m.subject.lower())
    assert message.subject.startswith("Info round open")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body
    html_body = message.alternatives[0][0]
    assert "Stop these emails" in html_body


def test_emails_carry_no_info_round_answer(pilot, operator, member):
    from meetings.models import AgendaItem

    AgendaItem.objects.create(session=pilot, position=1, title="Tour de table", timebox=30)
    _scan(pilot.starts_at - datetime.timedelta(hours=20))
    _send_all(pilot.starts_at - datetime.timedelta(hours=20))
    reminder = next(m for m in mail.outbox if "Rappel" in m.subject and m.to == ["olivier@example.org"])
    assert "Tour de table" in reminder.body
    for message in mail.outbox:
        assert "<script" not in message.body


def test_a_submitted_info_round_skips_the_reminder_made_before(pilot, operator, member):
    _scan()
    InfoRoundEntry.objects.create(
        session=pilot, operator=operator, status=InfoRoundEntry.Status.SUBMITTED, submitted_at=NOW
    )
    _send_all()
    assert _rows(Kind.INFO_ROUND_OPEN, recipient=member).get().state == Notification.State.SKIPPED


def test_the_same_row_is_sent_once_even_when_sent_twice(pilot, member):
    _scan()
    pk = _rows(Kind.SESSION_INVITATION, recipient=member).get().pk
    with time_machine.travel(NOW, tick=False):
        assert services.notification_send(notification_id=pk, now=NOW) == Notification.State.SENT
        assert services.notification_send(notification_id=pk, now=NOW) == Notification.State.SENT
    assert len([m for m in mail.outbox if m.to == ["olivier@example.org"]]) == 1


class _FailingBackend:
    def __init__(self, exc):
        self.exc = exc

    def __call__(self, *args, **kwargs):
        raise self.exc


def test_a_transient_smtp_error_is_retried_with_backoff(pilot, member, monkeypatch):
    _scan()
    pk = _rows(Kind.SESSION_INVITATION, recipient=member).get().pk
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send", _FailingBackend(smtplib.SMTPDataError(451, b"try later"))
    )
    with time_machine.travel(NOW, tick=False):
        assert services.notification_send(notification_id=pk, now=NOW) == Notification.State.PENDING
    row = Notification.objects.get(pk=pk)
    assert row.attempts == 1 and "451" in row.last_error
    assert row.due_at == NOW + datetime.timedelta(seconds=30)
    assert pk not in services.notifications_due(now=NOW)
    monkeypatch.undo()
    later = NOW + datetime.timedelta(seconds=31)
    assert pk in services.notifications_due(now=later)
    assert services.notification_send(notification_id=pk, now=later) == Notification.State.SENT


def test_a_permanent_smtp_error_fails_visibly_and_can_be_resent(
    pilot, member, admin_user, client, monkeypatch, django_capture_on_commit_callbacks
):
    _scan()
    pk = _rows(Kind.SESSION_INVITATION, recipient=member).get().pk
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send",
        _FailingBackend(smtplib.SMTPRecipientsRefused({"olivier@example.org": (550, b"no such user")})),
    )
    assert services.notification_send(notification_id=pk, now=NOW) == Notification.State.FAILED
    monkeypatch.undo()
    login(client, admin_user)
    page = client.get(reverse("notifications:failed"))
    assert b"olivier@example.org" in page.content and b"550" in page.content
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(NOW, tick=False):
        response = client.post(reverse("notifications:resend", kwargs={"pk": pk}))
    assert response.status_code == 302
    assert Notification.objects.get(pk=pk).state == Notification.State.SENT  # eager Celery in the tests
    again = client.post(reverse("notifications:resend", kwargs={"pk": pk}), follow=True)
    assert "Seule une notification en échec".encode() in again.content


def test_a_worker_that_died_mid_send_gives_its_row_back_once_the_task_would_have_been_killed(pilot, member):
    # The bound follows the send task's hard time limit: past it the worker kills the send.
    bound = datetime.timedelta(seconds=notification_send_task.time_limit + services.STALE_MARGIN)
    assert services.stale_claim() == bound == datetime.timedelta(minutes=2, seconds=30)
    _scan()
    row = _rows(Kind.SESSION_INVITATION, recipient=member).get()
    Notification.objects.filter(pk=row.pk).update(state=Notification.State.SENDING, claimed_at=NOW)
    younger = NOW + bound - datetime.timedelta(seconds=1)
    assert row.pk not in services.notifications_due(now=younger)
    assert Notification.objects.get(pk=row.pk).state == Notification.State.SENDING
    older = NOW + bound + datetime.timedelta(seconds=1)
    assert row.pk in services.notifications_due(now=older)
    assert Notification.objects.get(pk=row.pk).state == Notification.State.PENDING


# --- The digest -------------------------------------------------------------


def _busy_series(coordinator, operator, n):
    for i in range(n):
        s = SeriesFactory(name=f"Série {i}")
        s.coordinators.add(coordinator)
        Participation.objects.create(series=s, operator=operator, since=datetime.date(2026, 1, 1))
        past = SessionFactory(series=s, starts_at=NOW - datetime.timedelta(days=2))
        SessionFactory(series=s, starts_at=NOW + datetime.timedelta(days=2))
        Minutes.objects.create(
            session=past, status=Minutes.Status.PUBLISHED, published_at=NOW - datetime.timedelta(days=1)
        )
        Decision.objects.create(series=s, session=past, text=f"Décision {i}")
        Action.objects.create(
            series=s,
            session=past,
            description=f"Action {i}",
            owner_operator=operator,
            due_date=datetime.date(2026, 3, 1),
        )


def test_the_digest_renders_with_a_fixed_number_of_queries(db, django_assert_num_queries, operator):
    one = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    coordinator = UserFactory(coordinator=True)
    _busy_series(coordinator, operator, 1)
    with django_assert_num_queries(11):
        context = digest_context(user=one, now=NOW)
    assert len(context["minutes"]) == 1 and context["overdue_count"] == 1
    three = OperatorFactory()
    other = MembershipFactory(operator=three, role=MembershipRole.MEMBER).user
    _busy_series(coordinator, three, 3)
    with django_assert_num_queries(11):
        context = digest_context(user=other, now=NOW)
    assert len(context["minutes"]) == 3 and len(context["sessions"]) == 3 and len(context["info_rounds"]) == 3


def test_no_digest_when_there_is_nothing_to_say(db, outsider):
    assert digest_context(user=outsider, now=NOW) is None


def test_the_digest_email_lists_the_week(db, operator):
    member = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    _busy_series(UserFactory(coordinator=True), operator, 2)
    Notification.objects.create(
        recipient=member,
        kind=Kind.DIGEST,
        object_type="accounts.user",
        object_id=str(member.pk),
        period="x",
        due_at=NOW,
    )
    _send_all()
    message = mail.outbox[-1]
    assert message.subject == "Votre semaine dans Carrefour"
    assert "Décision 0" in message.body and "Décision 1" in message.body
    assert "en retard depuis le 1 mars 2026" in message.body


# --- Pages ------------------------------------------------------------------


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
    url = _unsubscribe_url(services.unsubscribe_token(notification=_row(member, Kind.SESSION_REMINDER)))
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
    token = services.unsubscribe_token(notification=row)
    # Its readable part is the row's random key and the date; the rest is the signature.
    key, _timestamp, _signature = token.split(":")
    assert key == row.public_id.hex
    assert member.email not in token and services.unsubscribe_read(token) == row


def _refused(response, status, title):
    assert response.status_code == status
    page = html.unescape(response.content.decode())
    assert title in page and f'href="{reverse("notifications:preferences")}"' in page
    return page


def test_an_unsubscribe_link_works_for_a_year_then_says_it_expired(client, member):
    with time_machine.travel(NOW, tick=False):
        url = _unsubscribe_url(services.unsubscribe_token(notification=_row(member, Kind.ACTION_DUE)))
    with time_machine.travel(NOW + datetime.timedelta(days=364), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(days=366), tick=False):
        _refused(client.get(url), 410, "Ce lien de désabonnement a expiré")
        _refused(client.post(url, {"List-Unsubscribe": "One-Click"}), 410, "Ce lien de désabonnement a expiré")
    member.refresh_from_db()
    assert Kind.ACTION_DUE not in member.notifications_off


def test_a_changed_or_foreign_unsubscribe_link_is_refused_with_a_way_to_the_preferences(client, member, outsider):
    token = services.unsubscribe_token(notification=_row(member, Kind.ACTION_DUE))
    key, timestamp, signature = token.split(":")
    other_key = _row(outsider, Kind.ACTION_DUE).public_id.hex
    former = signing.dumps({"u": member.pk, "k": Kind.ACTION_DUE}, salt=services.UNSUBSCRIBE_SALT, compress=True)
    mandatory = services.unsubscribe_token(notification=_row(member, Kind.SESSION_INVITATION))
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
    client.post(_unsubscribe_url(services.unsubscribe_token(notification=_row(member, Kind.DIGEST))))
    member.refresh_from_db()
    assert member.digest_weekday is None


def test_digest_preview(client, operator):
    member = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    login(client, member)
    assert "Rien à signaler".encode() in client.get(reverse("notifications:digest_preview")).content
    _busy_series(UserFactory(coordinator=True), operator, 1)
    with time_machine.travel(timezone.now(), tick=False):
        Minutes.objects.update(published_at=timezone.now())
        page = client.get(reverse("notifications:digest_preview"))
    assert "Décision 0".encode() in page.content


def test_coordinators_see_what_was_sent_about_a_session(client, pilot, coordinator, member):
    _scan()
    _send_all()
    login(client, coordinator)
    page = client.get(reverse("meetings:session_detail", kwargs={"session_id": pilot.public_id}))
    assert "E-mails concernant cette séance".encode() in page.content
    assert b"Olivier Marchal" in page.content
    login(client, member)
    page = client.get(reverse("meetings:session_detail", kwargs={"session_id": pilot.public_id}))
    assert "E-mails concernant cette séance".encode() not in page.content


def test_send_digest_command_sends_once_a_day(db, operator):
    from django.core.management import CommandError, call_command

    member = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    _busy_series(UserFactory(coordinator=True), operator, 1)
    call_command("send_digest", member.email.upper())
    call_command("send_digest", member.email)
    assert [m.subject for m in mail.outbox if m.to == [member.email]] == ["Votre semaine dans Carrefour"]
    with pytest.raises(CommandError):
        call_command("send_digest", "nobody@example.org")


def test_the_digest_shows_the_first_items_of_long_lists(db, operator):
    from core.notifications import digest

    member = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    _busy_series(UserFactory(coordinator=True), operator, 1)
    series = member.memberships.get().operator.participations.get().series
    past = series.sessions.order_by("starts_at").first()
    for i in range(digest.SHOWN + 3):
        Decision.objects.create(series=series, session=past, text=f"Décision supplémentaire {i}")
    Notification.objects.create(
        recipient=member,
        kind=Kind.DIGEST,
        object_type="accounts.user",
        object_id=str(member.pk),
        period="x",
        due_at=NOW,
    )
    _send_all()
    body = mail.outbox[-1].body
    assert "Décision supplémentaire 0" in body and f"Décision supplémentaire {digest.SHOWN + 2}" not in body
    assert "et 4 autres" in body


def test_invitations_link_to_the_calendar_file_and_a_move_says_from_when(pilot, member, coordinator, settings):
    from meetings.services.sessions import session_move

    settings.SITE_URL = "https://carrefour.example.be"
    ics = f"https://carrefour.example.be{reverse('meetings:session_ics', args=[pilot.public_id])}"
    _scan()
    _send_all()
    first = next(m for m in mail.outbox if m.to == ["olivier@example.org"] and m.attachments)
    assert f"Ajouter à mon agenda : {ics}" in first.body and f'href="{ics}"' in first.alternatives[0][0]
    assert "Déplacée depuis" not in first.body
    before = timezone.localtime(pilot.starts_at)
    pilot.series.pilot_end = None
    pilot.series.save()
    session_move(actor=coordinator, session=pilot, start_time=datetime.time(16, 0))
    mail.outbox.clear()
    _scan()
    _send_all()
    moved = next(m for m in mail.outbox if m.to == ["olivier@example.org"] and m.attachments)
    assert "déplacée" in moved.subject
    months = ["janvier", "février", "mars"]
    when = f"{before.day} {months[before.month - 1]} {before.year} {before:%H:%M}"
    assert "Déplacée depuis le " in moved.body and when in moved.body
    assert ics in moved.body
