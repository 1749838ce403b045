"""Writes on registrations: one state machine, owned here.

    unverified ─(email verified)─┐
    (signed in) ─────────────────┴─> requested ─(coordinators)─> declined
                                 │        │ accept
                                 └────────┴─> registered | waiting (the session is full)
    waiting ─(a place frees)─> offered ─(confirmed)─> registered
                                      └─(deadline passed)─> cancelled
    any active ─(the person, or a coordinator)─> cancelled

A place is taken by `registered` and `offered`. Places of a session are
handed out under a lock on the session's row (`select_for_update`): two
people taking the last place at the same moment end with one registered and
one waiting. The named unique constraints forbid two active registrations of
one person to one series (or session).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.permissions import require_perm
from core.services import audit_record
from meetings.models import Admission, Series, Session
from operators.models import Operator

from .models import Answer, ParticipantAttendance, Question, Registration
from .selectors import registration_closes_at, registrations_open

# How long a person offered a freed place has to confirm it.
OFFER_TIME = datetime.timedelta(hours=48)
MAX_QUESTIONS = 10
Status = Registration.Status


def _set_status(registration: Registration, status: str, *, now: datetime.datetime, **fields) -> None:
    registration.status = status
    registration.status_changed_at = now
    registration.version += 1
    registration.offer_expires_at = fields.pop("offer_expires_at", None)
    for key, value in fields.items():
        setattr(registration, key, value)
    registration.save()


def _lock_session(session_id: int) -> Session:
    """The session's row, locked until the transaction ends: whoever hands out its places waits here."""
    return Session.objects.select_for_update().get(pk=session_id)


def _places_taken(session: Session) -> int:
    return Registration.objects.filter(session=session, status__in=Registration.HOLDING).count()


def _place(registration: Registration, *, now: datetime.datetime) -> None:
    """Registered, or waiting when the session is full (under the session's lock)."""
    status = Status.REGISTERED
    if registration.session_id is not None:
        session = _lock_session(registration.session_id)
        if session.capacity is not None and _places_taken(session) >= session.capacity:
            status = Status.WAITING
    _set_status(registration, status, now=now)


def _admit(registration: Registration, *, now: datetime.datetime) -> None:
    """What an application becomes: a request for the coordinators, or a place (or the waiting list)."""
    if registration.series.admission == Admission.REQUEST:
        _set_status(registration, Status.REQUESTED, now=now)
    else:
        _place(registration, now=now)


def _check_open(series: Series, session: Session | None, now: datetime.datetime) -> None:
    if not series.takes_registrations:
        raise ValidationError(_("This series does not take registrations."))
    if session is not None:
        if session.series_id != series.pk:
            raise ValidationError(_("This session is not one of the series."))
        if not registrations_open(session, now):
            raise ValidationError(_("Registrations for this session are closed."))


def _check_organisation(user: User, operator: Operator | None) -> None:
    if operator is not None and not operator.memberships.filter(user=user).exists():
        raise ValidationError({"operator": _("Choose one of your own organisations, or type its name.")})


def _save_answers(registration: Registration, answers: dict[int, str]) -> None:
    questions = {q.pk: q for q in Question.objects.filter(series_id=registration.series_id)}
    for question in questions.values():
        text = (answers.get(question.pk) or "").strip()
        if question.required and not text:
            raise ValidationError({f"question_{question.pk}": _("Please answer this question.")})
        if len(text) > 1000:
            raise ValidationError({f"question_{question.pk}": _("Keep your answer under 1000 characters.")})
        if text:
            Answer.objects.create(registration=registration, question=question, text=text)


def _create(
    *,
    user: User,
    series: Series,
    session: Session | None,
    organisation_name: str,
    profession: str,
    operator: Operator | None,
    answers: dict[int, str],
    now: datetime.datetime,
) -> Registration:
    organisation_name = (organisation_name or "").strip() or (operator.name if operator else "")
    if not organisation_name:
        raise ValidationError({"organisation_name": _("Say which organisation you work for.")})
    if not (profession or "").strip():
        raise ValidationError({"profession": _("Say what your profession is.")})
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                series=series,
                session=session,
                user=user,
                operator=operator,
                organisation_name=organisation_name[:200],
                profession=profession.strip()[:150],
                status=Status.UNVERIFIED,
                status_changed_at=now,
            )
    except IntegrityError:
        raise ValidationError(_("You are already registered.")) from None
    _save_answers(registration, answers)
    return registration


@transaction.atomic
def registration_submit(
    *,
    actor: User,
    series: Series,
    session: Session | None = None,
    organisation_name: str = "",
    profession: str = "",
    operator: Operator | None = None,
    answers: dict[int, str] | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """A signed-in person registers for `series`, or for one of its sessions.

    Guarantees: never two active registrations of one person to one series or
    session; on a series taking requests, a request the coordinators decide;
    otherwise a place at once, or the waiting list when the session is full,
    decided under the session's lock (a concurrent registration waits)."""
    now = now or timezone.now()
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    _check_open(series, session, now)
    _check_organisation(actor, operator)
    registration = _create(
        user=actor,
        series=series,
        session=session,
        organisation_name=organisation_name,
        profession=profession,
        operator=operator,
        answers=answers or {},
        now=now,
    )
    _admit(registration, now=now)
    audit_record(actor=actor, action="registration.create", obj=registration, detail={"status": registration.status})
    return registration


@transaction.atomic
def registration_signup_create(
    *,
    user: User,
    series: Series,
    session: Session | None,
    organisation_name: str,
    profession: str,
    answers: dict[int, str],
    now: datetime.datetime | None = None,
) -> Registration:
    """The registration of a person who signed up through a registration page:
    it waits for their email address to be verified (`registrations_verify`)
    and takes no place until then."""
    now = now or timezone.now()
    _check_open(series, session, now)
    registration = _create(
        user=user,
        series=series,
        session=session,
        organisation_name=organisation_name,
        profession=profession,
        operator=None,
        answers=answers,
        now=now,
    )
    audit_record(actor=user, action="registration.signup", obj=registration)
    return registration


@transaction.atomic
def registrations_verify(*, user: User, now: datetime.datetime | None = None) -> list[Registration]:
    """The person verified their email address: their registrations waiting
    for it become requests, places or waiting-list entries (those whose
    session closed meanwhile are cancelled)."""
    now = now or timezone.now()
    done = []
    waiting = Registration.objects.select_related("series", "session").filter(user=user, status=Status.UNVERIFIED)
    for registration in waiting.select_for_update(of=("self",)):
        if registration.session is not None and not registrations_open(registration.session, now):
            _set_status(registration, Status.CANCELLED, now=now)
        else:
            _admit(registration, now=now)
        done.append(registration)
    return done


def _promote(session_id: int, *, now: datetime.datetime) -> list[Registration]:
    """Offer the places freed in `session` to the waiting list, in order, each
    with a deadline to confirm (never past the close of registrations)."""
    session = _lock_session(session_id)
    if not registrations_open(session, now):
        return []
    waiting = Registration.objects.filter(session=session, status=Status.WAITING).order_by("status_changed_at", "pk")
    if session.capacity is not None:
        free = session.capacity - _places_taken(session)
        if free <= 0:
            return []
        waiting = waiting[:free]
    deadline = min(now + OFFER_TIME, registration_closes_at(session))
    promoted = list(waiting)
    for registration in promoted:
        _set_status(registration, Status.OFFERED, now=now, offer_expires_at=deadline)
    return promoted


def _require_own(actor: User, registration: Registration) -> None:
    if actor is None or not actor.is_authenticated or registration.user_id != actor.pk:
        raise PermissionDenied


@transaction.atomic
def registration_cancel(
    *, actor: User, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    """The person (or a coordinator of the series) cancels a registration still
    in play; the place it held goes to the next on the waiting list."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().select_related("series").get(pk=registration.pk)
    if registration.user_id != getattr(actor, "pk", None):
        require_perm(actor, "registrations.manage_series", registration.series)
    if not registration.is_active:
        return registration
    held = registration.status in Registration.HOLDING
    _set_status(registration, Status.CANCELLED, now=now)
    audit_record(actor=actor, action="registration.cancel", obj=registration)
    if held and registration.session_id is not None:
        _promote(registration.session_id, now=now)
    return registration


@transaction.atomic
def registration_confirm(
    *, actor: User, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    """The person takes the place offered to them, before its deadline."""
    now = now or timezone.now()
    _require_own(actor, registration)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.OFFERED:
        raise ValidationError(_("There is no place waiting for your confirmation."))
    if registration.offer_expires_at <= now:
        raise ValidationError(_("The time to confirm this place has passed."))
    _set_status(registration, Status.REGISTERED, now=now)
    return registration


def registration_offers_lapse(*, now: datetime.datetime | None = None) -> int:
    """Cancel the offers not confirmed in time and offer their places to the
    next people waiting. Safe to run twice or concurrently: each offer is
    claimed by a conditional UPDATE. Returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    expired = Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
    for pk, session_id in expired.values_list("pk", "session_id")[:500]:
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=pk, status=Status.OFFERED, offer_expires_at__lte=now)
            registration = claimed.select_for_update().first()
            if registration is None:
                continue
            _set_status(registration, Status.CANCELLED, now=now)
            lapsed += 1
            _promote(session_id, now=now)
    return lapsed


@transaction.atomic
def registration_decide(
    *, actor: User, registration: Registration, accept: bool, now: datetime.datetime | None = None
) -> Registration:
    """Coordinators accept (a place, or the waiting list) or decline a request."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().select_related("series").get(pk=registration.pk)
    require_perm(actor, "registrations.manage_series", registration.series)
    if registration.status != Status.REQUESTED:
        raise ValidationError(_("This request was already answered."))
    if accept:
        registration.decided_by = actor
        _place(registration, now=now)
    else:
        _set_status(registration, Status.DECLINED, now=now, decided_by=actor)
    audit_record(actor=actor, action="registration.decide", obj=registration, detail={"accepted": accept})
    return registration


@transaction.atomic
def registration_link_operator(*, actor: User, registration: Registration, operator: Operator | None) -> Registration:
    """Coordinators link the organisation typed at registration to its directory entry (or unlink it)."""
    require_perm(actor, "registrations.manage_series", registration.series)
    registration.operator = operator
    registration.save(update_fields=["operator"])
    audit_record(
        actor=actor,
        action="registration.link_operator",
        obj=registration,
        detail={"operator": operator and operator.pk},
    )
    return registration


@transaction.atomic
def session_capacity_set(
    *, actor: User, session: Session, capacity: int | None, now: datetime.datetime | None = None
) -> Session:
    """Set a session's places (None: no limit), never below the places already
    confirmed (checked under the session's lock); places added go to the
    waiting list in order."""
    now = now or timezone.now()
    require_perm(actor, "registrations.manage_series", session.series)
    if capacity is not None and not 1 <= capacity <= 10000:
        raise ValidationError({"capacity": _("Give a number of places between 1 and 10,000.")})
    locked = _lock_session(session.pk)
    confirmed = Registration.objects.filter(session=locked, status=Status.REGISTERED).count()
    if capacity is not None and capacity < confirmed:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(count)d person is already confirmed: give at least %(count)d place.",
                    "%(count)d people are already confirmed: give at least %(count)d places.",
                    confirmed,
                )
                % {"count": confirmed}
            }
        )
    locked.capacity = capacity
    locked.save(update_fields=["capacity", "updated_at"])
    audit_record(actor=actor, action="session.capacity", obj=locked, detail={"capacity": capacity})
    _promote(locked.pk, now=now)
    session.capacity = capacity
    return locked


@transaction.atomic
def attendance_record(*, actor: User, session: Session, statuses: dict[int, str]) -> int:
    """Record who of the session's individual participants attended ({person id: status});
    an empty status removes the record. Only people registered to the session or the series count."""
    require_perm(actor, "registrations.manage_series", session.series)
    allowed = set(
        Registration.objects.filter(series_id=session.series_id, status=Status.REGISTERED)
        .filter(session__isnull=True)
        .values_list("user_id", flat=True)
    ) | set(Registration.objects.filter(session=session, status=Status.REGISTERED).values_list("user_id", flat=True))
    recorded = 0
    for user_id, status in statuses.items():
        if user_id not in allowed:
            raise ValidationError(_("Attendance is taken for the people registered only."))
        if not status:
            ParticipantAttendance.objects.filter(session=session, user_id=user_id).delete()
            continue
        if status not in ParticipantAttendance.Status.values:
            raise ValidationError(_("Choose present, excused or absent."))
        ParticipantAttendance.objects.update_or_create(
            session=session, user_id=user_id, defaults={"status": status, "recorded_by": actor}
        )
        recorded += 1
    audit_record(actor=actor, action="session.participant_attendance", obj=session, detail={"rows": recorded})
    return recorded


@transaction.atomic
def question_add(*, actor: User, series: Series, text: str, required: bool = False) -> Question:
    """Add one of the series' own questions to those who register (MAX_QUESTIONS at most)."""
    require_perm(actor, "registrations.manage_series", series)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    if len(text) > 300:
        raise ValidationError({"text": _("Keep the question under 300 characters.")})
    existing = Question.objects.filter(series=series)
    if existing.count() >= MAX_QUESTIONS:
        raise ValidationError(_("A series asks %(count)d questions at most.") % {"count": MAX_QUESTIONS})
    position = (existing.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return Question.objects.create(series=series, text=text, required=required, position=position)


@transaction.atomic
def question_remove(*, actor: User, question: Question) -> None:
    """Remove a question; the answers already given to it go with it."""
    require_perm(actor, "registrations.manage_series", question.series)
    question.delete()
