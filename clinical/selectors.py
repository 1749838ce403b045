"""Reads of clinical situations, each for a person: what they may not see
answers 404 (the situation, its series' situations or its access log)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from meetings.models import Series, Session

from .models import MeetingOwner, PendingText, Situation, SituationAccess
from .rules import may

Status = Situation.Status
LOG_PAGE_SIZE = 50


def series_get_for_situations(user, public_id, perm: str = "clinical.view_situations") -> Series:
    """The clinical series at `public_id` if the person may `perm` its situations; 404 otherwise
    (no pointer to the charter: a situation is not there for whoever has not signed)."""
    series = Series.objects.filter(public_id=public_id, kind=Series.Kind.CLINICAL).first()
    if series is None or not may(user, perm, series):
        raise Http404
    return series


def session_get_for_situations(user, public_id) -> Session:
    session = Session.objects.select_related("series").filter(public_id=public_id).first()
    if session is None or not may(user, "clinical.view_situations", session.series):
        raise Http404
    return session


def situation_get_for_user(user, public_id, perm: str = "clinical.view_situation") -> Situation:
    """The situation at `public_id` (with its series and session) if the person may `perm` it; 404 otherwise."""
    situation = (
        Situation.objects.select_related("series", "session", "preferred_session", "author")
        .filter(public_id=public_id)
        .first()
    )
    if situation is None or not may(user, "clinical.view_situation", situation):
        raise Http404
    if perm != "clinical.view_situation" and not may(user, perm, situation):
        raise Http404
    return situation


def pending_get_for_carrier(user, public_id) -> PendingText:
    pending = PendingText.objects.select_related("series", "situation", "author").filter(public_id=public_id).first()
    if pending is None or not may(user, "clinical.carry_series", pending.series):
        raise Http404
    return pending


def series_situations(user, series: Series) -> QuerySet[Situation]:
    """The situations of the series the person sees, newest first: every one for the
    carrier group; those chosen and past, and their own, for a signatory (one query)."""
    rows = Situation.objects.filter(series=series).select_related("session", "author")
    if not may(user, "clinical.carry_series", series):
        shared = ~Q(status__in=[Status.PROPOSED, Status.REWORK, Status.WITHDRAWN])
        rows = rows.filter(shared | Q(author=user))
    return rows.order_by("-created_at", "-pk")


def pending_texts(user, series: Series) -> QuerySet[PendingText]:
    """The held texts waiting in the series: all for the carrier group, one's own otherwise."""
    rows = PendingText.objects.filter(series=series, status=PendingText.Status.PENDING).select_related(
        "author", "situation"
    )
    if not may(user, "clinical.carry_series", series):
        rows = rows.filter(author=user)
    return rows.order_by("created_at", "pk")


@dataclass
class SessionSituations:
    session: Session
    chosen: list[Situation]
    feedback_due: list[Situation]
    owner: object = None


def session_situations(session: Session) -> SessionSituations:
    """A meeting's clinical items: the situations chosen for it, the "retour" (those
    presented at an earlier meeting still waiting for their follow-up) and the carrier
    group's member who owns its tasks (three queries)."""
    chosen = list(
        Situation.objects.filter(session=session, status__in=[Status.CHOSEN, Status.PRESENTED, Status.CLOSED])
        .select_related("author")
        .order_by("pk")
    )
    due = list(
        Situation.objects.filter(
            series_id=session.series_id,
            status=Status.PRESENTED,
            presented_at__lt=session.starts_at,
            last_feedback_at=F("presented_at"),
            purged_at__isnull=True,
        )
        .select_related("author", "session")
        .order_by("presented_at", "pk")
    )
    owner = MeetingOwner.objects.filter(session=session).select_related("owner").first()
    return SessionSituations(session, chosen, due, owner.owner if owner else None)


@dataclass
class HistoryEntry:
    session: Session | None
    recommendations: list
    follow_ups: list


def situation_history(situation: Situation) -> list[HistoryEntry]:
    """The situation across meetings: avenues noted and follow-ups given, meeting by meeting (two queries)."""
    entries: dict = {}

    def entry(session):
        key = session.pk if session else None
        return entries.setdefault(key, HistoryEntry(session, [], []))

    for rec in situation.recommendations.select_related("session").order_by("created_at", "pk"):
        entry(rec.session).recommendations.append(rec)
    for follow in situation.follow_ups.select_related("session").order_by("created_at", "pk"):
        entry(follow.session).follow_ups.append(follow)
    return sorted(entries.values(), key=lambda e: (e.session is None, e.session.starts_at if e.session else None))


def situation_log(situation: Situation) -> list[SituationAccess]:
    """The situation's access log, newest first (one query)."""
    return list(situation.accesses.select_related("user").order_by("-at", "-pk")[:500])


def access_log_page(page_number) -> Page:
    """The whole access log, for admins, newest first, a page at a time."""
    rows = SituationAccess.objects.select_related("user", "situation__series").order_by("-at", "-pk")
    return Paginator(rows, LOG_PAGE_SIZE).get_page(page_number)


def choosable_sessions(series: Series, now) -> QuerySet[Session]:
    """The meetings a situation may be chosen for or preferred: planned, to come."""
    return Session.objects.filter(series=series, status=Session.Status.PLANNED, ends_at__gte=now).order_by("starts_at")


def series_clinical_counts(series: Series) -> dict:
    """The evaluation's counts of a clinical series, never a text: situations presented
    (purged ones included), follow-ups given, situations proposed (one query)."""
    counts = Situation.objects.filter(series=series).aggregate(
        proposed=Count("pk"),
        presented=Count("pk", filter=Q(presented_at__isnull=False)),
        feedback=Count("follow_ups", distinct=True),
    )
    return {
        "situations_proposed": counts["proposed"],
        "situations_presented": counts["presented"],
        "feedback_given": counts["feedback"],
    }
