"""The daily reminder to the owner of an overdue request, once per step, and the
chase to the bassin's coordinator after a second delay."""

import datetime

import time_machine
from django.core import mail

from core.brussels import BRUSSELS
from helpdesk.models import MessageKind
from helpdesk.notifications import HelpDeskKind, help_desk_rows
from helpdesk.services.requests import message_post, request_take
from notifications.delivery import notification_send
from notifications.models import Notification
from notifications.scan import notifications_scan

from ..factories.helpdesk import help_request


def notifications_send():
    for pk in Notification.objects.filter(state=Notification.State.PENDING).values_list("pk", flat=True):
        notification_send(notification_id=pk)


MONDAY = datetime.datetime(2026, 3, 2, 10, tzinfo=BRUSSELS)


def at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=BRUSSELS)


def test_nothing_before_the_due_date(sud, team):
    help_request(sud, at=MONDAY)  # due Wednesday 4
    assert help_desk_rows(at(4, 18)) == []


def test_the_whole_team_is_reminded_while_nobody_owns_it(sud, agent, colleague):
    request = help_request(sud, at=MONDAY)
    rows = help_desk_rows(at(5))
    assert {(r.recipient_id, r.kind, r.period) for r in rows} == {
        (agent.pk, HelpDeskKind.OVERDUE, "2026-03-04"),
        (colleague.pk, HelpDeskKind.OVERDUE, "2026-03-04"),
    }
    assert {r.object_id for r in rows} == {str(request.pk)}


def test_the_owner_is_reminded_once_per_step(sud, agent, colleague):
    request = help_request(sud, at=MONDAY)
    with time_machine.travel(at(3), tick=False):
        request = request_take(actor=agent, request=request, version=1)  # no answer yet: due on the 4th
    for day in (5, 6, 9):
        with time_machine.travel(at(day), tick=False):
            notifications_scan()
    assert list(
        Notification.objects.filter(kind=HelpDeskKind.OVERDUE).values_list("recipient_id", "kind", "period")
    ) == [(agent.pk, HelpDeskKind.OVERDUE, "2026-03-04")]
    # Answered on the 9th: the follow-up (5 working days) is the next step, reminded once more after it.
    with time_machine.travel(at(9), tick=False):
        message_post(actor=agent, request=request, kind=MessageKind.MESSAGE, body="Nous cherchons un service.")
    request.refresh_from_db()
    assert request.follow_up_on == datetime.date(2026, 3, 16)
    with time_machine.travel(at(17), tick=False):
        notifications_scan()
        notifications_scan()
    assert Notification.objects.filter(kind=HelpDeskKind.OVERDUE).count() == 2


def test_the_coordinator_is_told_after_the_second_delay(sud, team, bassin_coordinator):
    help_request(sud, at=MONDAY)  # due Wednesday 4; chased two working days later
    assert not [r for r in help_desk_rows(at(5)) if r.kind == HelpDeskKind.CHASE]
    chased = [r for r in help_desk_rows(at(6)) if r.kind == HelpDeskKind.CHASE]
    assert [r.recipient_id for r in chased] == [bassin_coordinator.pk]


def test_the_email_says_no_word_of_the_situation(sud, agent, colleague):
    request = help_request(sud, at=MONDAY)
    with time_machine.travel(at(5), tick=False):
        notifications_scan()
        notifications_send()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "sans logement" not in message.body
        assert str(request.public_id) in message.body


def test_a_step_done_meanwhile_is_not_sent(sud, agent):
    request = help_request(sud, at=MONDAY)
    with time_machine.travel(at(5, 8), tick=False):
        notifications_scan()
    with time_machine.travel(at(5, 9), tick=False):
        message_post(actor=agent, request=request, kind=MessageKind.MESSAGE, body="Nous regardons.")
        notifications_send()
    assert mail.outbox == []
    assert set(Notification.objects.values_list("state", flat=True)) == {Notification.State.SKIPPED}
