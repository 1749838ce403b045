"""Reads of registrations: when a session takes them, who holds which, the
pages of the public series, of a person's registrations and of the
coordinators' lists. Each page reads a fixed number of queries whatever the
number of sessions or registrations (tests/registrations/test_selectors.py)."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from core.request_cache import cached_on
from meetings.models import Admission, AgendaItem, Series, Session, Visibility
from meetings.selectors.access import series_get_for_user
from meetings.video import session_join_url

from .models import Answer, ParticipantAttendance, Question, Registration

# Registrations for a session close this long before it starts: coordinators
# then prepare the room and the attendance sheet (they get an email with the figures).
CLOSES_BEFORE = datetime.timedelta(hours=24)
UPCOMING_SHOWN = 12
Status = Registration.Status


def registration_closes_at(session: Session) -> datetime.datetime:
    """When registrations for `session` close (one fact, used by the services, pages and emails)."""
    return session.starts_at - CLOSES_BEFORE


def registrations_open(session: Session, now: datetime.datetime) -> bool:
    """Whether `session` takes registrations at `now`: planned and not yet closed."""
    return session.status == Session.Status.PLANNED and now < registration_closes_at(session)


def user_registrations(user) -> dict[tuple[int, int | None], Registration]:
    """The person's registrations still in play, by (series id, session id or None) (one query, once per request)."""
    if not user.is_authenticated:
        return {}
    return cached_on(
        user,
        "registrations",
        lambda: {
            (r.series_id, r.session_id): r
            for r in Registration.objects.filter(user=user, status__in=Registration.ACTIVE)
        },
    )


def visible_series(user) -> QuerySet[Series]:
    """The series whose public page the person may see: public ones, and
    those visible to the network once signed in."""
    shown = [Visibility.PUBLIC] + ([Visibility.NETWORK] if user.is_authenticated else [])
    return Series.objects.filter(visibility__in=shown)


def series_public_get(user, public_id) -> Series:
    """The series at `public_id` if its public page is for `user`; 404 otherwise."""
    series = visible_series(user).select_related("territory").filter(public_id=public_id).first()
    if series is None:
        raise Http404
    return series


def session_public_get(user, public_id) -> Session:
    """A session of a series whose public page is for `user`; 404 otherwise."""
    session = (
        Session.objects.select_related("series", "series__territory")
        .filter(public_id=public_id, series__in=visible_series(user))
        .first()
    )
    if session is None:
        raise Http404
    return session


@dataclass
class SessionPlaces:
    session: Session
    taken: int
    waiting: int
    is_open: bool
    closes_at: datetime.datetime
    mine: Registration | None

    @property
    def left(self) -> int | None:
        capacity = self.session.capacity
        return None if capacity is None else max(capacity - self.taken, 0)


def _places(sessions: list[Session]) -> dict[int, Counter]:
    rows = (
        Registration.objects.filter(session__in=sessions, status__in=[*Registration.HOLDING, Status.WAITING])
        .values_list("session_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, Counter] = {}
    for session_id, status, n in rows:
        key = "waiting" if status == Status.WAITING else "taken"
        counts.setdefault(session_id, Counter())[key] += n
    return counts


def session_places(sessions: list[Session], *, user, now: datetime.datetime) -> list[SessionPlaces]:
    """Places taken, waiting and open of each session, and the person's own registration (2 queries)."""
    counts = _places(sessions)
    mine = user_registrations(user)
    return [
        SessionPlaces(
            session=s,
            taken=counts.get(s.pk, Counter())["taken"],
            waiting=counts.get(s.pk, Counter())["waiting"],
            is_open=registrations_open(s, now),
            closes_at=registration_closes_at(s),
            mine=mine.get((s.series_id, s.pk)),
        )
        for s in sessions
    ]


@dataclass
class PublicPage:
    """What the public page of a series shows: no names, no content."""

    series: Series
    organisations: list
    upcoming: list[SessionPlaces]
    mine: Registration | None  # the person's registration to the whole series
    takes_part: bool  # already a participant (operator, individual or coordinator)


def public_page(*, user, series: Series, now: datetime.datetime) -> PublicPage:
    """The public page of `series` (already checked visible): a fixed number of queries."""
    sessions = list(
        Session.objects.filter(series=series, status=Session.Status.PLANNED, starts_at__gt=now).order_by("starts_at")[
            :UPCOMING_SHOWN
        ]
    )
    return PublicPage(
        series=series,
        organisations=list(series.organisations.order_by("name").values_list("name", flat=True)),
        upcoming=session_places(sessions, user=user, now=now),
        mine=user_registrations(user).get((series.pk, None)),
        takes_part=user.is_authenticated and user.has_perm("meetings.view_series", series),
    )


def open_series_list(user) -> QuerySet[Series]:
    """The series listed for those who may register: visible to `user` and taking registrations."""
    return visible_series(user).exclude(admission=Admission.INVITATION).select_related("territory").order_by("name")


def my_registrations(user) -> list[Registration]:
    """The person's registrations, the ones in play first (one query)."""
    rows = Registration.objects.filter(user=user).select_related("series", "session").order_by("-status_changed_at")
    return sorted(rows, key=lambda r: not r.is_active)


def registration_get_own(user, public_id) -> Registration:
    """The person's own registration at `public_id`; 404 for anyone else."""
    registration = (
        Registration.objects.select_related("series", "session", "operator")
        .filter(public_id=public_id, user_id=getattr(user, "pk", None))
        .first()
    )
    if registration is None:
        raise Http404
    return registration


@dataclass
class MySession:
    """A person's page of a session they are registered to: what they need to
    come, and nothing of the series beyond it (no participants, no notes)."""

    registration: Registration
    session: Session
    venue: str  # where, unless held by videoconference only
    join_url: str  # the videoconference, once the place is confirmed
    agenda: list[str]  # the items' titles, when the series shows them

    @property
    def can_cancel(self) -> bool:
        return self.registration.is_active and self.session.status == Session.Status.PLANNED


def my_session_page(*, user, session_id) -> MySession:
    """The page of `user`'s registration to the session at `session_id` (the one
    in play, else the latest): 404 when they never registered to it (2 queries
    at most)."""
    rows = (
        Registration.objects.select_related("series", "session", "session__series")
        .filter(session__public_id=session_id, user_id=getattr(user, "pk", None))
        .order_by("-status_changed_at", "-pk")
    )
    registration = min(rows, key=lambda r: not r.is_active, default=None)
    if registration is None:
        raise Http404
    session = registration.session
    agenda = []
    if session.series.agenda_shown_to_registrants and session.status != Session.Status.CANCELLED:
        agenda = list(
            AgendaItem.objects.filter(session=session).order_by("position", "pk").values_list("title", flat=True)
        )
    confirmed = registration.status == Status.REGISTERED
    return MySession(
        registration=registration,
        session=session,
        venue=session.place,
        join_url=session_join_url(session) if confirmed else "",
        agenda=agenda,
    )


# --- The coordinators' pages --------------------------------------------------


def series_get_to_manage(user, public_id) -> Series:
    """The series at `public_id` for those who manage its registrations: 404
    when the person does not see it, 403 when they see it without coordinating it."""
    series = series_get_for_user(user, public_id)
    if not user.has_perm("registrations.manage_series", series):
        raise PermissionDenied
    return series


def session_get_to_manage(user, public_id) -> Session:
    """As series_get_to_manage, for a session."""
    session = Session.objects.select_related("series").filter(public_id=public_id).first()
    if session is None or not user.has_perm("meetings.view_series", session.series):
        raise Http404
    if not user.has_perm("registrations.manage_series", session.series):
        raise PermissionDenied
    return session


def status_counts(registrations: QuerySet[Registration]) -> dict[str, int]:
    """{status: count} over `registrations` (one query)."""
    counts = dict.fromkeys(Status.values, 0)
    for status, n in registrations.values_list("status").annotate(n=Count("pk")).order_by():
        counts[status] = n
    return counts


def registrations_with_details(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """With their person, organisation, session and answers (for lists and exports: 2 queries)."""
    return registrations.select_related("user", "operator", "session").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("question"))
    )


@dataclass
class ManagePage:
    series: Series
    counts: dict[str, int]  # whole-series registrations by status
    requests: list[Registration]  # requests waiting, series and sessions alike
    participants: list[Registration]  # individual participants of the whole series
    sessions: list[tuple[Session, dict[str, int]]]  # upcoming and recent sessions with their counts
    questions: list[Question]


def manage_page(*, series: Series, now: datetime.datetime) -> ManagePage:
    """The coordinators' page of a series' registrations: a fixed number of queries."""
    whole = Registration.objects.filter(series=series, session__isnull=True)
    sessions = list(
        Session.objects.filter(series=series, starts_at__gte=now - datetime.timedelta(days=180)).order_by("starts_at")[
            :50
        ]
    )
    by_session: dict[int, dict[str, int]] = {s.pk: dict.fromkeys(Status.values, 0) for s in sessions}
    rows = (
        Registration.objects.filter(session__in=sessions)
        .values_list("session_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for session_id, status, n in rows:
        by_session[session_id][status] = n
    return ManagePage(
        series=series,
        counts=status_counts(whole),
        requests=list(
            registrations_with_details(Registration.objects.filter(series=series, status=Status.REQUESTED)).order_by(
                "status_changed_at", "pk"
            )
        ),
        participants=list(registrations_with_details(whole.filter(status=Status.REGISTERED)).order_by("user__name")),
        sessions=[(s, by_session[s.pk]) for s in sessions],
        questions=list(Question.objects.filter(series=series)),
    )


@dataclass
class SessionList:
    session: Session
    counts: dict[str, int]
    registered: list[Registration]  # those registered to the session, then the series' individual participants
    waiting: list[Registration]  # in order
    offered: list[Registration]
    cancelled: list[Registration]
    attendance: dict[int, str]  # person id → status
    present: int  # "34 professionals attended"


def session_list(*, session: Session) -> SessionList:
    """The coordinators' list of one session: registered, waiting (in order),
    offered, cancelled, and the attendance taken. A fixed number of queries."""
    own = registrations_with_details(Registration.objects.filter(session=session))
    rows = list(own.order_by("status_changed_at", "pk"))
    series_wide = list(
        registrations_with_details(
            Registration.objects.filter(series_id=session.series_id, session__isnull=True, status=Status.REGISTERED)
        ).order_by("user__name")
    )
    attendance = dict(ParticipantAttendance.objects.filter(session=session).values_list("user_id", "status"))
    registered = sorted((r for r in rows if r.status == Status.REGISTERED), key=lambda r: r.user.name.lower())
    registered_ids = {r.user_id for r in registered}
    return SessionList(
        session=session,
        counts=status_counts(Registration.objects.filter(session=session)),
        registered=registered + [r for r in series_wide if r.user_id not in registered_ids],
        waiting=[r for r in rows if r.status == Status.WAITING],
        offered=[r for r in rows if r.status == Status.OFFERED],
        cancelled=[r for r in rows if r.status in (Status.CANCELLED, Status.DECLINED)],
        attendance=attendance,
        present=sum(1 for s in attendance.values() if s == ParticipantAttendance.Status.PRESENT),
    )


def session_attended(session: Session) -> int:
    """How many individual professionals attended `session` (one query)."""
    return ParticipantAttendance.objects.filter(session=session, status=ParticipantAttendance.Status.PRESENT).count()


def export_rows(*, series: Series, session: Session | None = None) -> QuerySet[Registration]:
    """The registrations of an export: of the series (all) or of one session."""
    rows = Registration.objects.filter(series=series).exclude(status=Status.UNVERIFIED)
    if session is not None:
        rows = rows.filter(Q(session=session) | Q(session__isnull=True, status=Status.REGISTERED))
    return registrations_with_details(rows).order_by("session__starts_at", "status", "user__name", "pk")
