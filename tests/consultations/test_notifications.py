"""A published synthesis is emailed once to every participant, with the link and no contribution text."""

import pytest
from django.core import mail

from consultations import services
from notifications.delivery import notification_send
from notifications.models import Notification
from notifications.scan import notifications_scan

from ..factories import RegistrationFactory, SessionFactory, UserFactory
from ..factories.consultations import ContributionFactory, consultation_series

pytestmark = pytest.mark.django_db


def test_every_participant_gets_the_link_once_without_the_texts(coordinator):
    sitting = SessionFactory(series=consultation_series(coordinator))
    registered = RegistrationFactory(series=sitting.series).user
    author = UserFactory()
    ContributionFactory(session=sitting, author=author, text="Un texte confidentiel")
    ContributionFactory(session=sitting, author=registered)
    services.synthesis_publish(actor=coordinator, session=sitting)
    notifications_scan()
    notifications_scan()  # once
    rows = Notification.objects.filter(kind="synthesis_published")
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted([registered.pk, author.pk])
    for row in rows:
        notification_send(notification_id=row.pk)
    assert len(mail.outbox) == 2
    body = mail.outbox[0].body
    assert f"/consultations/sessions/{sitting.public_id}/synthesis/" in body
    assert "confidentiel" not in body and "Proposition" not in body
