"""The weekly digest: what it holds, in a fixed number of queries, and how it is sent."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Decision, Minutes
from meetings.notifications import digest
from notifications.digest import DigestKind, digest_context
from notifications.models import Notification
from operators.models import MembershipRole

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory, UserFactory
from .conftest import NOW, busy_series, send_all

# 11, and the capacity lines' sessions and signals.
DIGEST_QUERIES = 13


def test_the_digest_renders_with_a_fixed_number_of_queries(db, django_assert_num_queries, operator):
    one = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    coordinator = UserFactory(coordinator=True)
    busy_series(coordinator, operator, 1)
    with django_assert_num_queries(DIGEST_QUERIES):
        context = digest_context(user=one, now=NOW)
    meetings = context["sections"]["meetings"]
    assert len(meetings["minutes"]) == 1 and meetings["overdue_count"] == 1
    three = OperatorFactory()
    other = MembershipFactory(operator=three, role=MembershipRole.MEMBER).user
    busy_series(coordinator, three, 3)
    with django_assert_num_queries(DIGEST_QUERIES):
        context = digest_context(user=other, now=NOW)
    meetings = context["sections"]["meetings"]
    assert len(meetings["minutes"]) == 3 and len(meetings["sessions"]) == 3 and len(meetings["info_rounds"]) == 3


def test_no_digest_when_there_is_nothing_to_say(db, outsider):
    assert digest_context(user=outsider, now=NOW) is None


def test_the_digest_email_lists_the_week(db, operator):
    member = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    busy_series(UserFactory(coordinator=True), operator, 2)
    Notification.objects.create(
        recipient=member,
        kind=DigestKind.DIGEST,
        object_type="accounts.user",
        object_id=str(member.pk),
        period="x",
        due_at=NOW,
    )
    send_all()
    message = mail.outbox[-1]
    assert message.subject == "Votre semaine dans Carrefour"
    assert "Décision 0" in message.body and "Décision 1" in message.body
    assert "en retard depuis le 1 mars 2026" in message.body


def test_the_digest_shows_the_first_items_of_long_lists(db, operator):
    member = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    busy_series(UserFactory(coordinator=True), operator, 1)
    series = member.memberships.get().operator.participations.get().series
    past = series.sessions.order_by("starts_at").first()
    for i in range(digest.SHOWN + 3):
        Decision.objects.create(series=series, session=past, text=f"Décision supplémentaire {i}")
    Notification.objects.create(
        recipient=member,
        kind=DigestKind.DIGEST,
        object_type="accounts.user",
        object_id=str(member.pk),
        period="x",
        due_at=NOW,
    )
    send_all()
    body = mail.outbox[-1].body
    assert "Décision supplémentaire 0" in body and f"Décision supplémentaire {digest.SHOWN + 2}" not in body
    assert "et 4 autres" in body


def test_digest_preview(client, operator):
    member = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    login(client, member)
    assert "Rien à signaler".encode() in client.get(reverse("notifications:digest_preview")).content
    busy_series(UserFactory(coordinator=True), operator, 1)
    with time_machine.travel(timezone.now(), tick=False):
        Minutes.objects.update(published_at=timezone.now())
        page = client.get(reverse("notifications:digest_preview"))
    assert "Décision 0".encode() in page.content


def test_send_digest_command_sends_once_a_day(db, operator):
    from django.core.management import CommandError, call_command

    member = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    busy_series(UserFactory(coordinator=True), operator, 1)
    call_command("send_digest", member.email.upper())
    call_command("send_digest", member.email)
    assert [m.subject for m in mail.outbox if m.to == [member.email]] == ["Votre semaine dans Carrefour"]
    with pytest.raises(CommandError):
        call_command("send_digest", "nobody@example.org")
