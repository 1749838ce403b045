"""The weekly digest: what it holds, in a fixed number of queries, and how it is sent."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Decision, Minutes
from meetings.notifications import digest
from notifications import delivery
from notifications.delivery import notification_render
from notifications.digest import DigestKind, digest_batch, digest_context, digest_contexts
from notifications.models import Notification
from notifications.tasks import notifications_scan_task
from operators.models import MembershipRole

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory, UserFactory
from .conftest import NOW, busy_series, send_all

# 11, the capacity lines' sessions and signals, and the sessions the person is
# registered to one by one (registrations' section: one query).
DIGEST_QUERIES = 14


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


def digest_row(person) -> Notification:
    """A digest due at NOW for `person`."""
    return Notification.objects.create(
        recipient=person,
        kind=DigestKind.DIGEST,
        object_type="accounts.user",
        object_id=str(person.pk),
        period="x",
        due_at=NOW,
    )


@pytest.mark.parametrize("people", [1, 6])
def test_a_batch_of_digests_is_read_in_a_fixed_number_of_queries(db, django_assert_num_queries, people):
    """Whatever the number of people, operators and series: the weekly run reads its batches so."""
    coordinator = UserFactory(coordinator=True)
    users = []
    for _ in range(people):
        operator = OperatorFactory()
        busy_series(coordinator, operator, 2)
        users.append(MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user)
    # 11, the capacity lines of the batch's series (two queries whatever their
    # number), and the sessions its people are registered to (one query).
    with django_assert_num_queries(14):
        contexts = digest_contexts(users=users, now=NOW)
    assert all(len(contexts[u.pk]["sections"]["meetings"]["minutes"]) == 2 for u in users)


def test_a_batch_renders_each_shared_entry_in_each_readers_language(db, django_assert_num_queries, operator):
    french = MembershipFactory(operator=operator, role=MembershipRole.MEMBER, user__language="fr").user
    english = MembershipFactory(operator=operator, role=MembershipRole.MEMBER, user__language="en").user
    busy_series(UserFactory(coordinator=True), operator, 1)
    rows = [digest_row(person) for person in (french, english)]
    # Read ahead: rendering the two emails reads nothing more of the meetings.
    with digest_batch(users=[french, english], now=NOW), django_assert_num_queries(0):
        messages = [notification_render(row) for row in rows]
    assert "Décisions :" in messages[0].alternatives[0][0] and "Décision : Décision 0" in messages[0].body
    assert "Decisions:" in messages[1].alternatives[0][0] and "Decision: Décision 0" in messages[1].body
    assert "Action 0 (" in messages[0].body and "Action 0 (" in messages[1].body


def test_the_scan_task_sends_the_digests_by_batches(db, operator):
    members = [MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user for _ in range(3)]
    busy_series(UserFactory(coordinator=True), operator, 1)
    for member in members:
        digest_row(member)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert delivery.send_plan(ids) == ([], [ids])
    with time_machine.travel(NOW, tick=False):
        notifications_scan_task()  # Celery runs eagerly in the tests
    digests = sorted(m.to[0] for m in mail.outbox if m.subject == "Votre semaine dans Carrefour")
    assert digests == sorted(m.email for m in members)
    assert set(Notification.objects.filter(pk__in=ids).values_list("state", flat=True)) == {Notification.State.SENT}
    # A second run sends nothing twice.
    sent = len(mail.outbox)
    with time_machine.travel(NOW, tick=False):
        delivery.notifications_send_batch(notification_ids=ids, now=NOW)
    assert len(mail.outbox) == sent


def test_no_digest_when_there_is_nothing_to_say(db, outsider):
    assert digest_context(user=outsider, now=NOW) is None


def test_the_digest_email_lists_the_week(db, operator):
    member = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    busy_series(UserFactory(coordinator=True), operator, 2)
    digest_row(member)
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
    digest_row(member)
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
