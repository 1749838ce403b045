"""The registration state machine (registrations/services.py), against the database."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import AuditEvent
from meetings.models import Admission, Visibility
from meetings.selectors import participating_series_ids
from registrations import services
from registrations.models import Answer, ParticipantAttendance, Question, Registration
from registrations.selectors import CLOSES_BEFORE

from ..factories import RegistrationFactory, UserFactory

Status = Registration.Status


def _register(user, series, session=None, **kwargs):
    fields = {"organisation_name": "Maison médicale du Nord", "profession": "Infirmière"} | kwargs
    return services.registration_submit(actor=user, series=series, session=session, **fields)


def test_open_session_registers_until_full_then_waits_in_order(thematic, date):
    first, second, third, fourth = UserFactory.create_batch(4)
    assert _register(first, thematic, date).status == Status.REGISTERED
    assert _register(second, thematic, date).status == Status.REGISTERED
    assert _register(third, thematic, date).status == Status.WAITING
    assert _register(fourth, thematic, date).status == Status.WAITING


def test_cancelling_offers_the_place_to_the_first_waiting_with_a_deadline(thematic, date):
    first, second, third, fourth = UserFactory.create_batch(4)
    held = _register(first, thematic, date)
    _register(second, thematic, date)
    waiting = _register(third, thematic, date)
    later = _register(fourth, thematic, date)
    now = timezone.now()
    services.registration_cancel(actor=first, registration=held, now=now)
    waiting.refresh_from_db()
    later.refresh_from_db()
    held.refresh_from_db()
    assert held.status == Status.CANCELLED
    assert waiting.status == Status.OFFERED and waiting.offer_expires_at == now + services.OFFER_TIME
    assert later.status == Status.WAITING
    services.registration_confirm(actor=third, registration=waiting)
    waiting.refresh_from_db()
    assert waiting.status == Status.REGISTERED


def test_an_offer_not_confirmed_in_time_goes_to_the_next(thematic, date):
    first, second, third, fourth = UserFactory.create_batch(4)
    held = _register(first, thematic, date)
    _register(second, thematic, date)
    offered = _register(third, thematic, date)
    next_one = _register(fourth, thematic, date)
    now = timezone.now()
    services.registration_cancel(actor=first, registration=held, now=now)
    later = now + services.OFFER_TIME + datetime.timedelta(minutes=1)
    assert services.registration_offers_lapse(now=later) == 1
    assert services.registration_offers_lapse(now=later) == 0  # safe to run twice
    offered.refresh_from_db()
    next_one.refresh_from_db()
    assert offered.status == Status.CANCELLED
    assert next_one.status == Status.OFFERED
    with pytest.raises(ValidationError):
        services.registration_confirm(actor=third, registration=offered)


def test_the_offer_deadline_never_passes_the_close_of_registrations(thematic, date):
    first, second, third = UserFactory.create_batch(3)
    held = _register(first, thematic, date)
    _register(second, thematic, date)
    offered = _register(third, thematic, date)
    now = date.starts_at - CLOSES_BEFORE - datetime.timedelta(hours=1)
    services.registration_cancel(actor=first, registration=held, now=now)
    offered.refresh_from_db()
    assert offered.offer_expires_at == date.starts_at - CLOSES_BEFORE


def test_no_double_registration(thematic, date, outsider):
    _register(outsider, thematic, date)
    with pytest.raises(ValidationError):
        _register(outsider, thematic, date)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(series=thematic, session=date, user=outsider, status=Status.WAITING)
    # Once cancelled, the person may register again.
    Registration.objects.filter(user=outsider).update(status=Status.CANCELLED)
    assert _register(outsider, thematic, date).status == Status.REGISTERED


def test_a_series_taking_requests_waits_for_the_coordinators(thematic, outsider, coordinator, other_coordinator):
    thematic.admission = Admission.REQUEST
    thematic.save()
    registration = _register(outsider, thematic)
    assert registration.status == Status.REQUESTED
    assert thematic.pk not in participating_series_ids(UserFactory.build(pk=outsider.pk))
    with pytest.raises(PermissionDenied):
        services.registration_decide(actor=other_coordinator, registration=registration, accept=True)
    services.registration_decide(actor=coordinator, registration=registration, accept=True)
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED and registration.decided_by == coordinator
    with pytest.raises(ValidationError):
        services.registration_decide(actor=coordinator, registration=registration, accept=False)


def test_a_whole_series_registration_makes_an_individual_participant(thematic, outsider):
    assert not outsider.has_perm("meetings.view_series", thematic)
    _register(outsider, thematic)
    fresh = type(outsider).objects.get(pk=outsider.pk)  # a new request: nothing cached
    assert thematic.pk in participating_series_ids(fresh)
    assert fresh.has_perm("meetings.view_series", thematic)
    assert not fresh.has_perm("meetings.change_series", thematic)


def test_a_session_registration_gives_no_access_to_the_series(thematic, date, outsider):
    _register(outsider, thematic, date)
    fresh = type(outsider).objects.get(pk=outsider.pk)
    assert not fresh.has_perm("meetings.view_series", thematic)


@pytest.mark.parametrize(
    ("visibility", "admission"),
    [(Visibility.PRIVATE, Admission.OPEN), (Visibility.PUBLIC, Admission.INVITATION)],
)
def test_closed_series_take_no_registration(thematic, outsider, visibility, admission):
    thematic.visibility, thematic.admission = visibility, admission
    thematic.save()
    with pytest.raises(ValidationError):
        _register(outsider, thematic)


def test_registrations_close_before_the_session(thematic, date, outsider):
    with pytest.raises(ValidationError):
        services.registration_submit(
            actor=outsider,
            series=thematic,
            session=date,
            organisation_name="CPAS",
            profession="Assistant social",
            now=date.starts_at - CLOSES_BEFORE,
        )


def test_questions_are_answered_and_required_ones_enforced(thematic, outsider, coordinator):
    expectations = services.question_add(actor=coordinator, series=thematic, text="Vos attentes ?", required=True)
    with pytest.raises(ValidationError) as refused:
        _register(outsider, thematic)
    assert f"question_{expectations.pk}" in refused.value.error_dict
    assert not Registration.objects.exists()  # the whole registration is undone
    _register(outsider, thematic, answers={expectations.pk: "Mieux connaître le réseau"})
    assert Answer.objects.get().text == "Mieux connaître le réseau"


def test_only_coordinators_ask_questions(thematic, outsider):
    with pytest.raises(PermissionDenied):
        services.question_add(actor=outsider, series=thematic, text="Vos attentes ?")
    assert not Question.objects.exists()


def test_an_unverified_signup_takes_its_place_once_verified(thematic, date):
    person = UserFactory()
    registration = services.registration_signup_create(
        user=person, series=thematic, session=date, organisation_name="SSM", profession="Psychologue", answers={}
    )
    assert registration.status == Status.UNVERIFIED
    RegistrationFactory.create_batch(2, series=thematic, session=date)  # the session fills meanwhile
    services.registrations_verify(user=person)
    registration.refresh_from_db()
    assert registration.status == Status.WAITING


def test_raising_the_places_offers_them_to_the_waiting_list(thematic, date, coordinator):
    RegistrationFactory.create_batch(2, series=thematic, session=date)
    waiting = _register(UserFactory(), thematic, date)
    services.session_capacity_set(actor=coordinator, session=date, capacity=3)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED


def test_attendance_counts_the_professionals_who_attended(thematic, date, coordinator, outsider):
    people = RegistrationFactory.create_batch(3, series=thematic, session=date, status=Status.REGISTERED)
    statuses = {people[0].user_id: "present", people[1].user_id: "present", people[2].user_id: "excused"}
    services.attendance_record(actor=coordinator, session=date, statuses=statuses)
    assert ParticipantAttendance.objects.filter(session=date, status="present").count() == 2
    with pytest.raises(ValidationError):  # not registered
        services.attendance_record(actor=coordinator, session=date, statuses={outsider.pk: "present"})
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=outsider, session=date, statuses={})


def test_cancelling_someone_elses_registration_is_for_coordinators(thematic, date, outsider, coordinator):
    registration = RegistrationFactory(series=thematic, session=date)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=outsider, registration=registration)
    services.registration_cancel(actor=coordinator, registration=registration)
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert AuditEvent.objects.filter(action="registration.cancel").exists()
