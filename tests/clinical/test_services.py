"""The life of a situation through the services: guard, carrier group's choice,
avenues, follow-ups, held texts, purge."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from clinical import services
from clinical.models import ClinicalSettings, FollowUp, PendingText, Recommendation, Situation, SituationAccess
from clinical.selectors import session_situations
from clinical.tasks import situations_purge_expired_task
from core.models import AuditEvent

from ..factories.clinical import VIGNETTE, clinical_session, situation_propose

NISS = "85.07.30-033.28"
Status = Situation.Status


def test_a_signatory_proposes_a_situation_logged_without_its_text(clinical, member, caplog):
    situation = situation_propose(clinical, member)
    assert situation.status == Status.PROPOSED and situation.author == member
    assert SituationAccess.objects.filter(situation=situation, user=member, action="changed").exists()
    assert AuditEvent.objects.filter(action="clinical.situation_propose").exists()
    assert "déscolarisée" not in caplog.text


def test_the_guard_refuses_a_national_number_and_nothing_is_stored(clinical, member):
    with pytest.raises(ValidationError) as refused:
        situation_propose(clinical, member, life_context=f"Jeune dont le NISS est {NISS}.")
    assert "life_context" in refused.value.message_dict and NISS in refused.value.message_dict["life_context"][0]
    assert not Situation.objects.exists()


def test_who_has_not_accepted_the_charter_cannot_propose(clinical, referent, other_member):
    for person in (referent, other_member):
        with pytest.raises(PermissionDenied):
            situation_propose(clinical, person)


def test_the_carrier_group_chooses_up_to_the_series_number(clinical, member, coordinator, next_meeting):
    situations = [situation_propose(clinical, member) for _ in range(3)]
    for situation in situations[:2]:
        services.situation_choose(
            actor=coordinator, situation=situation, version=situation.version, session=next_meeting
        )
    with pytest.raises(ValidationError, match="2"):
        services.situation_choose(
            actor=coordinator, situation=situations[2], version=situations[2].version, session=next_meeting
        )
    settings = services.clinical_settings_for(clinical)
    services.clinical_settings_update(
        actor=coordinator, series=clinical, situations_per_session=3, retention_months=6, version=settings.version
    )
    services.situation_choose(
        actor=coordinator, situation=situations[2], version=situations[2].version, session=next_meeting
    )
    assert Situation.objects.filter(session=next_meeting, status=Status.CHOSEN).count() == 3


def test_a_participant_cannot_choose(clinical, member, next_meeting):
    situation = situation_propose(clinical, member)
    with pytest.raises(PermissionDenied):
        services.situation_choose(actor=member, situation=situation, version=situation.version, session=next_meeting)


def test_rework_then_rewrite_and_a_stale_version_is_a_conflict(clinical, member, coordinator):
    situation = situation_propose(clinical, member)
    services.situation_rework_ask(actor=coordinator, situation=situation, version=0, message="Préciser la question.")
    assert situation.status == Status.REWORK
    with pytest.raises(services.Conflict):
        services.situation_update(actor=member, situation=situation, version=0, **VIGNETTE)
    services.situation_update(actor=member, situation=situation, version=1, **(VIGNETTE | {"question": "Autre ?"}))
    situation.refresh_from_db()
    assert situation.status == Status.PROPOSED and situation.question == "Autre ?" and situation.version == 2


def test_avenues_present_the_situation_and_the_follow_up_takes_it_off_the_retour(
    clinical, member, coordinator, next_meeting
):
    situation = situation_propose(clinical, member)
    services.situation_choose(actor=coordinator, situation=situation, version=0, session=next_meeting)
    services.recommendation_add(actor=coordinator, situation=situation, text="Piste : un relais scolaire.")
    situation.refresh_from_db()
    assert situation.status == Status.PRESENTED and situation.awaits_feedback
    later = clinical_session(clinical, days=70)
    assert session_situations(later).feedback_due == [situation]
    with time_machine.travel(later.starts_at - datetime.timedelta(days=2)):
        services.follow_up_add(actor=member, situation=situation, text="Le lien tient.", closes=False)
    situation.refresh_from_db()
    assert not situation.awaits_feedback and session_situations(later).feedback_due == []
    assert FollowUp.objects.get().session == later
    services.follow_up_add(actor=member, situation=situation, text="Clôturée.", closes=True)
    situation.refresh_from_db()
    assert situation.status == Status.CLOSED


def test_a_flagged_text_is_held_aside_until_the_carrier_group_confirms(clinical, member, coordinator):
    values = VIGNETTE | {"life_context": "Suivie par le service joignable au 081 22 33 44."}
    pending = services.pending_hold(actor=member, series=clinical, target="proposal", values=values)
    assert not Situation.objects.exists()
    assert AuditEvent.objects.filter(action="clinical.text_held").exists()
    situation = services.pending_confirm(actor=coordinator, pending=pending)
    pending.refresh_from_db()
    assert situation.author == member and "081 22 33 44" in situation.life_context
    assert pending.status == "confirmed" and pending.payload == {}
    assert AuditEvent.objects.filter(action="clinical.text_confirmed").exists()


def test_a_refused_held_text_is_emptied(clinical, member, coordinator):
    pending = services.pending_hold(actor=member, series=clinical, target="proposal", values=dict(VIGNETTE))
    with pytest.raises(PermissionDenied):
        services.pending_confirm(actor=member, pending=pending)
    services.pending_refuse(actor=coordinator, pending=pending)
    pending.refresh_from_db()
    assert pending.payload == {} and not Situation.objects.exists()


def _raw_texts() -> str:
    """Every text column of the clinical tables, read in SQL: what the database holds."""
    with connection.cursor() as cursor:
        found = []
        for table, columns in (
            ("clinical_situation", "life_context, services_other, tried, question, rework_message"),
            ("clinical_recommendation", "text"),
            ("clinical_followup", "text"),
            ("clinical_pendingtext", "payload"),
        ):
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 - constant names
            found += [str(value) for row in cursor.fetchall() for value in row]
    return " ".join(found)


def test_the_purge_removes_the_texts_from_the_database_after_the_retention(clinical, member, coordinator, next_meeting):
    situation = situation_propose(clinical, member, question="CANARI-question-unique ?")
    services.situation_choose(actor=coordinator, situation=situation, version=0, session=next_meeting)
    services.recommendation_add(actor=coordinator, situation=situation, text="CANARI-piste")
    services.follow_up_add(actor=member, situation=situation, text="CANARI-retour")
    services.pending_hold(
        actor=member, series=clinical, target="follow_up", values={"text": "CANARI-en-attente"}, situation=situation
    )
    assert "CANARI" in _raw_texts()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=300)):
        assert services.situations_purge_expired() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=400)):
        assert services.situations_purge_expired() == 1
        assert services.situations_purge_expired() == 0
    assert "CANARI" not in _raw_texts()
    situation.refresh_from_db()
    assert situation.purged_at and situation.status == Status.PRESENTED and situation.session == next_meeting
    assert situation.question.startswith("[texte supprimé le ")
    assert not situation.services.exists() and not PendingText.objects.exists()
    assert Recommendation.objects.get().text.startswith("[texte supprimé")
    assert SituationAccess.objects.filter(situation=situation, action="purged", user=None).exists()
    assert AuditEvent.objects.filter(action="clinical.situation_purge").exists()


def test_the_retention_is_a_setting_of_the_series(clinical, member, coordinator):
    ClinicalSettings.objects.create(series=clinical, retention_months=1)
    situation_propose(clinical, member)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        assert services.situations_purge_expired() == 1


def test_the_author_asks_for_earlier_deletion(clinical, member, coordinator):
    situation = situation_propose(clinical, member, tried="CANARI-essai")
    services.situation_withdraw(actor=member, situation=situation)
    situation.refresh_from_db()
    assert situation.status == Status.WITHDRAWN and situation.purged_at and "CANARI" not in _raw_texts()
    with pytest.raises(PermissionDenied):
        services.situation_withdraw(actor=member, situation=situation)


def test_the_beat_job_is_declared(settings):
    assert settings.CELERY_BEAT_SCHEDULE["clinical-purge"]["task"] == "clinical.tasks.situations_purge_expired_task"


def test_the_beat_task_purges(clinical, member):
    situation_propose(clinical, member)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=400)):
        assert situations_purge_expired_task() == 1
        assert situations_purge_expired_task() == 0


def test_held_texts_nobody_decided_on_are_dropped(clinical, member):
    services.pending_hold(actor=member, series=clinical, target="proposal", values=dict(VIGNETTE))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=services.PENDING_DAYS + 1)):
        services.situations_purge_expired()
    assert PendingText.objects.get().payload == {}
