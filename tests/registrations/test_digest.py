"""The weekly digest of people registered to sessions one by one: the
sessions they are registered to (date, place or link, status), nothing else,
in a fixed number of queries for a batch."""

import datetime

import pytest
from django.utils import timezone

from meetings.calendar import session_registration_url
from meetings.models import Mode, Session
from notifications.delivery import notification_render
from notifications.digest import DigestKind, digest_batch, digest_contexts
from notifications.models import Notification
from registrations.digest import registrations_digest_many
from registrations.models import Registration

from ..factories import RegistrationFactory, SeriesFactory, SessionFactory, UserFactory

Status = Registration.Status


def _session(days, **fields):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return SessionFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2), **fields)


def test_a_session_registrant_gets_a_digest_of_their_sessions(db, session_registrant, registered_session):
    waiting = _session(9, mode=Mode.IN_PERSON, venue="Maison des associations")
    RegistrationFactory(series=waiting.series, session=waiting, user=session_registrant, status=Status.WAITING)
    later = _session(60)
    RegistrationFactory(series=later.series, session=later, user=session_registrant)
    gone = _session(3, status=Session.Status.CANCELLED)
    RegistrationFactory(series=gone.series, session=gone, user=session_registrant)
    cancelled = _session(4)
    RegistrationFactory(series=cancelled.series, session=cancelled, user=session_registrant, status=Status.CANCELLED)
    digest = digest_contexts(users=[session_registrant])[session_registrant.pk]
    assert digest is not None and "meetings" not in digest["sections"]  # no other news of those series
    entries = digest["sections"]["registrations"]["sessions"]
    assert [e.session for e in entries] == [registered_session, waiting]
    assert entries[0].join_url and entries[0].page_url == session_registration_url(registered_session)
    assert not entries[1].join_url and entries[1].venue == "Maison des associations"


def test_the_digest_email_says_date_place_or_link_and_status_only(db, session_registrant, registered_session):
    other = RegistrationFactory(series=registered_session.series, session=registered_session)
    row = Notification.objects.create(
        recipient=session_registrant,
        kind=DigestKind.DIGEST,
        object_type="accounts.user",
        object_id=str(session_registrant.pk),
        period="x",
        due_at=timezone.now(),
    )
    message = notification_render(row)
    html = message.alternatives[0][0]
    assert "Vos inscriptions" in message.body and "Inscrit·e" in message.body
    assert session_registration_url(registered_session) in message.body and "Rejoindre" in html
    assert registered_session.series.name in message.body
    assert other.user.name not in message.body and other.user.email not in message.body


def test_the_status_is_in_each_readers_language(db):
    session = _session(5)
    french = RegistrationFactory(series=session.series, session=session, user__language="fr").user
    english = RegistrationFactory(series=session.series, session=session, user__language="en").user
    rows = [
        Notification.objects.create(
            recipient=person,
            kind=DigestKind.DIGEST,
            object_type="accounts.user",
            object_id=str(person.pk),
            period="x",
            due_at=timezone.now(),
        )
        for person in (french, english)
    ]
    with digest_batch(users=[french, english]):
        bodies = [notification_render(row).body for row in rows]
    assert "Inscrit·e" in bodies[0] and "Your registrations" in bodies[1] and "Registered" in bodies[1]


@pytest.mark.parametrize("people", [1, 12])
def test_a_batch_reads_the_registrations_in_one_query(db, django_assert_num_queries, people):
    series = SeriesFactory()
    sessions = [_session(n + 1, series=series) for n in range(3)]
    users = [UserFactory() for _ in range(people)]
    for user in users:
        for session in sessions:
            RegistrationFactory(series=series, session=session, user=user)
    with django_assert_num_queries(1):
        found = registrations_digest_many(users=users, now=timezone.now())
    assert all(len(found[u.pk]["sessions"]) == 3 for u in users)


def test_nobody_without_session_registrations_gets_the_section(db, individual, member):
    found = registrations_digest_many(users=[individual, member], now=timezone.now())
    assert found == {individual.pk: None, member.pk: None}
