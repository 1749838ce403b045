"""The emails of registrations, registered with the notifications app.

To the person, at each step of their registration (the period "v<n>" is
the registration's version, so each step is sent once and a step overtaken
by the next is not): confirmed (with the session's calendar file), put on
the waiting list, offered a freed place (with the deadline to confirm),
cancelled or declined. Each carries the one-click cancellation link while
the registration is in play.

To the series' coordinators, when registrations for a session close
(selectors.CLOSES_BEFORE before it): the figures, the list and the
attendance sheet.

Session invitations and reminders reach registered people through the
meetings' own emails (meetings/notifications/audience.py); the weekly digest
lists the sessions a person is registered to (digest.py).
"""

import datetime

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.links import absolute_url
from meetings.calendar import alarm_lead, session_invitation, session_registration_url
from meetings.models import Session
from meetings.notifications.audience import series_coordinators
from meetings.video import session_join_url
from notifications.models import Notification
from notifications.registry import Attachment, Kind, register_digest_section, register_finder, register_kind
from notifications.scan import DueRow, due_row

from .digest import registrations_digest, registrations_digest_many
from .models import Registration
from .selectors import CLOSES_BEFORE, registration_closes_at, status_counts
from .tokens import cancel_token

RECENT = datetime.timedelta(days=2)
REGISTRATION = Registration._meta.label_lower
SESSION = Session._meta.label_lower


class RegistrationKind(models.TextChoices):
    CONFIRMED = "registration_confirmed", _("Registration confirmed")
    WAITING = "registration_waiting", _("On the waiting list")
    PROMOTED = "registration_promoted", _("A place freed for you")
    CANCELLED = "registration_cancelled", _("Registration cancelled or declined")
    CLOSING = "registration_closing", _("Registrations closed for a session")


Status = Registration.Status
KIND_OF_STATUS = {
    Status.REGISTERED: RegistrationKind.CONFIRMED,
    Status.WAITING: RegistrationKind.WAITING,
    Status.OFFERED: RegistrationKind.PROMOTED,
    Status.CANCELLED: RegistrationKind.CANCELLED,
    Status.DECLINED: RegistrationKind.CANCELLED,
}


def registrations_due(now: datetime.datetime) -> list[DueRow]:
    """One email per step of each registration that changed lately (one query)."""
    rows = Registration.objects.filter(
        status_changed_at__gte=now - RECENT, status__in=list(KIND_OF_STATUS), user__is_active=True
    ).values_list("pk", "user_id", "status", "version")
    return [
        due_row(user_id, KIND_OF_STATUS[status], REGISTRATION, pk, f"v{version}", now)
        for pk, user_id, status, version in rows
    ]


def closings_due(now: datetime.datetime) -> list[DueRow]:
    """To the coordinators of each session whose registrations closed lately, if any were made (2 queries)."""
    sessions = list(
        Session.objects.filter(
            status=Session.Status.PLANNED,
            starts_at__gt=now + CLOSES_BEFORE - RECENT,
            starts_at__lte=now + CLOSES_BEFORE,
            registrations__isnull=False,
        )
        .values_list("pk", "series_id")
        .distinct()
        .order_by()
    )
    coordinators = series_coordinators({s[1] for s in sessions})
    return [
        due_row(user_id, RegistrationKind.CLOSING, SESSION, pk, "", now)
        for pk, series_id in sessions
        for user_id in coordinators.get(series_id, ())
    ]


def _load_registration(n: Notification) -> Registration | None:
    if n.object_type != REGISTRATION or not n.object_id.isdigit():
        return None
    return Registration.objects.select_related("series", "session", "user").filter(pk=int(n.object_id)).first()


def _own(person, registration: Registration) -> bool:
    return registration.user_id == person.pk


def registration_context(registration: Registration) -> dict:
    """What every email about a registration says (also the confirmation page's links)."""
    session = registration.session
    # A registration to one session has its page for that session (the
    # session page is the series' participants', not theirs).
    if session is not None:
        registration_url = session_registration_url(session)
    else:
        registration_url = absolute_url(
            reverse("registrations:detail", kwargs={"registration_id": registration.public_id})
        )
    context = {
        "registration": registration,
        "series": registration.series,
        "session": session,
        "registration_url": registration_url,
    }
    if registration.is_active:
        context["cancel_url"] = absolute_url(
            reverse("registrations:cancel_by_token", kwargs={"token": cancel_token(registration)})
        )
    if session is not None and registration.status == Status.REGISTERED:
        context["join_url"] = session_join_url(session)
        context["calendar_url"] = absolute_url(
            reverse("registrations:calendar", kwargs={"registration_id": registration.public_id})
        )
    return context


def _build_registration(n: Notification, registration: Registration) -> dict | None:
    if n.period != f"v{registration.version}" or KIND_OF_STATUS.get(registration.status) != n.kind:
        return None  # overtaken by a later step, which has its own email
    return registration_context(registration)


def _calendar(n: Notification, registration: Registration) -> Attachment | None:
    if registration.session is None:
        return None
    session = registration.session
    ics = session_invitation(
        session,
        method="REQUEST",
        attendee=n.recipient.email,
        alarm=alarm_lead(n.recipient),
        page_url=session_registration_url(session),
    )
    return Attachment("invite.ics", ics, "text/calendar; charset=utf-8; method=REQUEST")


def _load_session(n: Notification) -> Session | None:
    if n.object_type != SESSION or not n.object_id.isdigit():
        return None
    return Session.objects.select_related("series").filter(pk=int(n.object_id)).first()


def _coordinates(person, session: Session) -> bool:
    return person.has_perm("registrations.manage_series", session.series)


def _build_closing(n: Notification, session: Session) -> dict | None:
    if session.status != Session.Status.PLANNED:
        return None
    path = reverse("registrations:session_registrations", kwargs={"session_id": session.public_id})
    sheet = reverse("registrations:attendance_sheet", kwargs={"session_id": session.public_id})
    return {
        "session": session,
        "series": session.series,
        "closes_at": registration_closes_at(session),
        "counts": status_counts(Registration.objects.filter(session=session)),
        "list_url": absolute_url(path),
        "sheet_url": absolute_url(sheet),
    }


def _kind(code: RegistrationKind, load, build, **options) -> Kind:
    return Kind(code=code.value, label=code.label, load=load, build=build, **options)


KINDS = (
    # The person's own registration: never turned off (a missed step is a missed place).
    _kind(
        RegistrationKind.CONFIRMED,
        _load_registration,
        _build_registration,
        reaches=_own,
        mandatory=True,
        attachment=_calendar,
    ),
    _kind(RegistrationKind.WAITING, _load_registration, _build_registration, reaches=_own, mandatory=True),
    _kind(RegistrationKind.PROMOTED, _load_registration, _build_registration, reaches=_own, mandatory=True),
    _kind(RegistrationKind.CANCELLED, _load_registration, _build_registration, reaches=_own, mandatory=True),
    _kind(RegistrationKind.CLOSING, _load_session, _build_closing, reaches=_coordinates),
)

for _registered in KINDS:
    register_kind(_registered)
register_finder(registrations_due)
register_finder(closings_due)
register_digest_section("registrations", registrations_digest, registrations_digest_many)
