"""What the weekly digest (notifications/digest.py) shows of registrations.

To a person registered to sessions one by one (a thematic concertation, a
workshop), who gets no other news of those series: each session to come
within AHEAD that they hold a registration to, with its date, its place or
its videoconference link (once their place is confirmed) and the status of
their registration. Nothing else: no participants, no agenda, no content.
One query for a whole batch of people.
"""

import datetime
from dataclasses import dataclass

from meetings.calendar import session_registration_url
from meetings.models import Session
from meetings.video import session_join_url

from .models import Registration

AHEAD = datetime.timedelta(days=28)
SHOWN = 8
# The registrations worth a line: still in play, an email address verified.
LISTED = (
    Registration.Status.REQUESTED,
    Registration.Status.REGISTERED,
    Registration.Status.OFFERED,
    Registration.Status.WAITING,
)


@dataclass(frozen=True)
class RegisteredSession:
    session: Session
    status_label: str
    venue: str  # where, unless by videoconference only
    join_url: str  # once the place is confirmed
    page_url: str  # the person's page of their registration to it


def _entry(registration: Registration) -> RegisteredSession:
    session = registration.session
    confirmed = registration.status == Registration.Status.REGISTERED
    return RegisteredSession(
        session=session,
        # Lazy: the digests of a batch are read ahead, rendered in each reader's language.
        status_label=Registration.Status(registration.status).label,
        venue=session.place,
        join_url=session_join_url(session) if confirmed else "",
        page_url=session_registration_url(session),
    )


def registrations_digest_many(*, users, now: datetime.datetime) -> dict[int, dict | None]:
    """{person id: their registrations' section, or None}: the sessions to
    come within AHEAD they are registered to, the first SHOWN (one query)."""
    found: dict[int, dict | None] = {u.pk: None for u in users}
    rows = (
        Registration.objects.filter(
            user_id__in=list(found),
            status__in=LISTED,
            session__status=Session.Status.PLANNED,
            session__starts_at__gte=now,
            session__starts_at__lt=now + AHEAD,
        )
        .select_related("session__series")
        .defer("session__series__description")
        .order_by("session__starts_at", "pk")
    )
    by_person: dict[int, list[RegisteredSession]] = {}
    for registration in rows:
        by_person.setdefault(registration.user_id, []).append(_entry(registration))
    for user_id, entries in by_person.items():
        found[user_id] = {"sessions": entries[:SHOWN], "more": max(len(entries) - SHOWN, 0)}
    return found


def registrations_digest(*, user, now: datetime.datetime) -> dict | None:
    """The registrations' section of the digest of `user` at `now` (see registrations_digest_many).

    Shown through emails/notify/_digest_registrations.{txt,html}.
    """
    return registrations_digest_many(users=[user], now=now)[user.pk]
