"""The clinical emails: each kind once, to whom it concerns, with the meeting's date and a link — no text."""

import datetime

from django.core import mail

from clinical import services
from clinical.notifications import ClinicalKind
from notifications.delivery import notification_send
from notifications.models import Notification
from notifications.scan import notifications_scan

from ..factories.clinical import clinical_session, situation_propose

SECRET = "CANARI-courriel"


def _send(now=None) -> list:
    mail.outbox.clear()
    notifications_scan(now=now)
    for pk in Notification.objects.filter(state="pending").values_list("pk", flat=True):
        notification_send(notification_id=pk, now=now)
    return list(mail.outbox)


def _clinical_rows(kind) -> list[int]:
    return list(Notification.objects.filter(kind=kind, state="sent").values_list("recipient_id", flat=True))


def _everything(message) -> str:
    return message.subject + message.body + "".join(str(a[0]) for a in message.alternatives)


def test_each_kind_reaches_whom_it_concerns_without_any_text(clinical, member, coordinator, next_meeting):
    situation = situation_propose(clinical, member, question=f"{SECRET} ?", preferred_session=next_meeting)
    sent = _send()
    assert _clinical_rows(ClinicalKind.PROPOSED) == [coordinator.pk]
    proposed = [m for m in sent if "une situation a été proposée" in m.subject]
    assert proposed and "Une situation a été proposée pour la rencontre du" in proposed[0].body
    services.situation_rework_ask(actor=coordinator, situation=situation, version=0, message=f"{SECRET} rework")
    sent += _send()
    assert _clinical_rows(ClinicalKind.REWORK) == [member.pk]
    services.situation_update(
        actor=member, situation=situation, version=1, age_range="18-25", life_context=SECRET, tried=SECRET, question="?"
    )
    services.situation_choose(actor=coordinator, situation=situation, version=2, session=next_meeting)
    sent += (chosen := _send())
    assert chosen and _clinical_rows(ClinicalKind.CHOSEN) == [member.pk]
    services.recommendation_add(actor=coordinator, situation=situation, text=SECRET)
    later = clinical_session(clinical, days=60)
    sent += (due := _send(now=later.starts_at - datetime.timedelta(days=3)))
    assert due and _clinical_rows(ClinicalKind.FEEDBACK_DUE) == [member.pk]
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {k.value for k in ClinicalKind} <= kinds
    assert not [m.subject for m in sent if SECRET in _everything(m)]
