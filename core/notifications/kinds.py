"""What each kind of notification says, and to whom it may still go.

A kind is one `Spec`: whether people may turn it off, and a `build` function
that loads its object and returns the context of its three templates
(`emails/notify/<kind>_{subject.txt,body.txt,body.html}`), or None when the
message has nothing left to say (the session was cancelled, the operator
submitted meanwhile, the digest is empty…): the row is then skipped.
Adding a kind is one Spec here, one rule in scan.py and its templates.

Contexts hold titles, dates, links and the texts of decisions and actions;
never info-round answers, notes, clinical content or anything about third
parties.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from meetings import video
from meetings.models import (
    Action,
    AgendaItem,
    Decision,
    InfoRoundEntry,
    JoinRequest,
    Minutes,
    Session,
    SlotPoll,
)
from meetings.selectors import coordinated_series_ids, participating_operator_ids, participating_series_ids
from meetings.selectors.inforound import info_round_window
from operators.models import OperatorMembership

from ..models import Notification, NotificationKind

Kind = NotificationKind


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def session_url(session: Session) -> str:
    return absolute(reverse("meetings:session_detail", kwargs={"session_id": session.public_id}))


@dataclass(frozen=True)
class Spec:
    build: Callable[[Notification], dict | None]
    # Invitations and cancellations cannot be turned off: missing one means
    # missing a meeting.
    mandatory: bool = False
    # Whether the email carries the session's calendar file.
    calendar: str = ""  # "", "REQUEST" or "CANCEL"


def notification_session(n: Notification) -> Session | None:
    return Session.objects.select_related("series", "host_operator").filter(pk=n.object_id).first()


def _session_context(session: Session) -> dict:
    return {
        "session": session,
        "series": session.series,
        "session_url": session_url(session),
        "join_url": video.session_join_url(session),
    }


def _is_participant(user, series_id: int) -> bool:
    """Whether the person still coordinates or takes part in the series (they may have left since the scan)."""
    return series_id in coordinated_series_ids(user) | participating_series_ids(user)


def session_calendar_url(session: Session) -> str:
    return absolute(reverse("meetings:session_ics", kwargs={"session_id": session.public_id}))


def _build_invitation(n: Notification) -> dict | None:
    session = notification_session(n)
    if session is None or session.status != Session.Status.PLANNED or n.period != f"v{session.sequence}":
        return None  # cancelled or moved again since: another row says so
    if not _is_participant(n.recipient, session.series_id):
        return None
    moved = Notification.objects.filter(
        recipient=n.recipient,
        kind=Kind.SESSION_INVITATION,
        object_type=n.object_type,
        object_id=n.object_id,
        state=Notification.State.SENT,
    ).exists()
    return _session_context(session) | {"moved": moved, "calendar_url": session_calendar_url(session)}


def _build_cancelled(n: Notification) -> dict | None:
    session = notification_session(n)
    if session is None or session.status != Session.Status.CANCELLED:
        return None
    return _session_context(session)


def _build_reminder(n: Notification) -> dict | None:
    session = notification_session(n)
    if session is None or session.status != Session.Status.PLANNED or session.starts_at <= timezone.now():
        return None
    if not _is_participant(n.recipient, session.series_id):
        return None
    items = list(AgendaItem.objects.filter(session=session).values_list("title", flat=True))
    return _session_context(session) | {"agenda": items}


def _build_info_round(n: Notification) -> dict | None:
    session = notification_session(n)
    if session is None or session.status != Session.Status.PLANNED or session.starts_at <= timezone.now():
        return None
    taking_part = set(participating_operator_ids(n.recipient, session.series))
    submitted = set(
        InfoRoundEntry.objects.filter(
            session=session, operator_id__in=taking_part, status=InfoRoundEntry.Status.SUBMITTED
        ).values_list("operator_id", flat=True)
    )
    missing = taking_part - submitted
    if not missing:
        return None
    _opens_at, deadline = info_round_window(session)
    operators = [
        m.operator
        for m in OperatorMembership.objects.filter(user=n.recipient, operator_id__in=missing).select_related("operator")
    ]
    return _session_context(session) | {"deadline": deadline, "operators": operators}


def _build_minutes(n: Notification) -> dict | None:
    minutes = Minutes.objects.select_related("session__series").filter(pk=n.object_id).first()
    if minutes is None or minutes.status != Minutes.Status.PUBLISHED:
        return None
    session = minutes.session
    return _session_context(session) | {
        "minutes_url": absolute(reverse("meetings:minutes_detail", kwargs={"session_id": session.public_id})),
        "decisions": list(Decision.objects.filter(session=session).order_by("created_at", "pk")),
        "actions": list(
            Action.objects.filter(session=session).select_related("owner_operator").order_by("created_at", "pk")
        ),
    }


def _build_action(n: Notification) -> dict | None:
    action = Action.objects.select_related("series", "owner_operator").filter(pk=n.object_id).first()
    if action is None or action.status != Action.Status.OPEN:
        return None
    return {
        "action": action,
        "series": action.series,
        "overdue": action.due_date < timezone.localdate(),
        "actions_url": absolute(reverse("core:home")),
    }


def _build_poll(n: Notification) -> dict | None:
    poll = SlotPoll.objects.select_related("series").filter(pk=n.object_id).first()
    if poll is None:
        return None
    if n.kind == Kind.POLL_RESULT:
        if poll.status != SlotPoll.Status.CLOSED:
            return None
    elif poll.status != SlotPoll.Status.OPEN or poll.deadline <= timezone.now():
        return None
    return {
        "poll": poll,
        "series": poll.series,
        "chosen": poll.chosen_slot,
        "poll_url": absolute(reverse("meetings:poll_detail", kwargs={"poll_id": poll.public_id})),
    }


def _build_join_request(n: Notification) -> dict | None:
    request = JoinRequest.objects.select_related("series", "operator").filter(pk=n.object_id).first()
    if request is None:
        return None
    if n.kind == Kind.JOIN_REQUEST_RECEIVED and request.status != JoinRequest.Status.PENDING:
        return None
    return {
        "join_request": request,
        "series": request.series,
        "requests_url": absolute(reverse("meetings:join_request_list", kwargs={"series_id": request.series.public_id})),
        "series_url": absolute(reverse("meetings:series_detail", kwargs={"series_id": request.series.public_id})),
    }


def _build_digest(n: Notification) -> dict | None:
    from .digest import digest_context

    digest = digest_context(user=n.recipient)
    return {"digest": digest} if digest else None


def _build_evaluation(n: Notification) -> dict | None:
    # The evaluation's own rule decides who is invited; its context comes
    # from evaluations.notifications when that module exists.
    try:
        from evaluations.notifications import evaluation_context
    except ImportError:
        return None
    return evaluation_context(n)


KINDS: dict[str, Spec] = {
    Kind.SESSION_INVITATION: Spec(_build_invitation, mandatory=True, calendar="REQUEST"),
    Kind.SESSION_CANCELLED: Spec(_build_cancelled, mandatory=True, calendar="CANCEL"),
    Kind.SESSION_REMINDER: Spec(_build_reminder),
    Kind.INFO_ROUND_OPEN: Spec(_build_info_round),
    Kind.INFO_ROUND_REMINDER: Spec(_build_info_round),
    Kind.INFO_ROUND_LAST_CALL: Spec(_build_info_round),
    Kind.MINUTES_PUBLISHED: Spec(_build_minutes),
    Kind.ACTION_DUE: Spec(_build_action),
    Kind.ACTION_OVERDUE: Spec(_build_action),
    Kind.POLL_INVITATION: Spec(_build_poll),
    Kind.POLL_REMINDER: Spec(_build_poll),
    Kind.POLL_RESULT: Spec(_build_poll),
    Kind.JOIN_REQUEST_RECEIVED: Spec(_build_join_request),
    Kind.JOIN_REQUEST_DECIDED: Spec(_build_join_request),
    Kind.EVALUATION_INVITATION: Spec(_build_evaluation),
    Kind.EVALUATION_REMINDER: Spec(_build_evaluation),
    Kind.DIGEST: Spec(_build_digest),
}

OPTIONAL_KINDS = [kind for kind in Kind if not KINDS[kind].mandatory and kind != Kind.DIGEST]
