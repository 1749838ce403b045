"""What each of the meetings' emails says, and to whom it may still go.

For each kind: `load` fetches the object of a row (None: it is gone),
`reaches` says whether the recipient may still receive it (they may have
left the series since the scan), `build` returns the context of its three
templates (`emails/notify/<kind>_{subject.txt,body.txt,body.html}`), or None
when the message has nothing left to say (the session was cancelled, the
operator submitted meanwhile…): the row is then skipped.

Contexts hold titles, dates, links and the texts of decisions and actions;
never info-round answers, notes, clinical content or anything about third
parties.
"""

from django.urls import reverse
from django.utils import timezone

from core.links import absolute_url
from notifications.models import Notification
from notifications.registry import Attachment, Kind
from operators.models import OperatorMembership

from .. import video
from ..calendar import alarm_lead, session_invitation, session_registration_url
from ..models import (
    Action,
    AgendaItem,
    CharterReminder,
    Decision,
    InfoRoundEntry,
    JoinRequest,
    Minutes,
    Session,
    SlotPoll,
)
from ..selectors import coordinated_series_ids, participating_operator_ids, participating_series_ids
from ..selectors.access import charter_locked_series_ids, registered_session_ids
from ..selectors.inforound import info_round_window
from .kinds import MeetingKind


def session_url(session: Session) -> str:
    return absolute_url(reverse("meetings:session_detail", kwargs={"session_id": session.public_id}))


def session_calendar_url(session: Session) -> str:
    return absolute_url(reverse("meetings:session_ics", kwargs={"session_id": session.public_id}))


def _session_context(session: Session, user=None) -> dict:
    return {
        "session": session,
        "series": session.series,
        "session_url": session_url_for(user, session) if user is not None else session_url(session),
        "join_url": video.session_join_url(session),
    }


def _in_series(user, session: Session) -> bool:
    return session.series_id in coordinated_series_ids(user) | participating_series_ids(user)


def session_url_for(user, session: Session) -> str:
    """The page of `session` that `user` can open: the session page, or for a
    person registered to that session only their registration's page for it."""
    return session_url(session) if _in_series(user, session) else session_registration_url(session)


# --- Sessions -----------------------------------------------------------------


def _load_session(n: Notification) -> Session | None:
    return Session.objects.select_related("series", "host_operator").filter(pk=n.object_id).first()


def _takes_part(user, session: Session) -> bool:
    """Whether the person still coordinates or takes part in the series, or is
    still registered to the session (they may have left since the scan)."""
    return _in_series(user, session) or session.pk in registered_session_ids(user)


def _build_invitation(n: Notification, session: Session) -> dict | None:
    if session.status != Session.Status.PLANNED or n.period != f"v{session.sequence}":
        return None  # cancelled or moved again since: another row says so
    moved = Notification.objects.filter(
        recipient=n.recipient,
        kind=MeetingKind.SESSION_INVITATION,
        object_type=n.object_type,
        object_id=n.object_id,
        state=Notification.State.SENT,
    ).exists()
    context = _session_context(session, n.recipient) | {"moved": moved}
    if _in_series(n.recipient, session):  # a registrant's calendar file is the attachment (and their page's)
        context["calendar_url"] = session_calendar_url(session)
    return context


def _build_cancelled(n: Notification, session: Session) -> dict | None:
    if session.status != Session.Status.CANCELLED:
        return None
    return _session_context(session, n.recipient)


def _build_reminder(n: Notification, session: Session) -> dict | None:
    if session.status != Session.Status.PLANNED or session.starts_at <= timezone.now():
        return None
    items = []
    if _in_series(n.recipient, session) or session.series.agenda_shown_to_registrants:
        items = list(AgendaItem.objects.filter(session=session).values_list("title", flat=True))
    return _session_context(session, n.recipient) | {"agenda": items}


def _build_info_round(n: Notification, session: Session) -> dict | None:
    if session.status != Session.Status.PLANNED or session.starts_at <= timezone.now():
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


def _calendar(method: str):
    def attachment(n: Notification, session: Session) -> Attachment:
        ics = session_invitation(
            session,
            method=method,
            attendee=n.recipient.email,
            alarm=alarm_lead(n.recipient),
            page_url=session_url_for(n.recipient, session),
        )
        return Attachment("invite.ics", ics, f"text/calendar; charset=utf-8; method={method}")

    return attachment


# --- Minutes, actions, polls, join requests -------------------------------------


def _load_minutes(n: Notification) -> Minutes | None:
    return Minutes.objects.select_related("session__series").filter(pk=n.object_id).first()


def _build_minutes(n: Notification, minutes: Minutes) -> dict | None:
    if minutes.status != Minutes.Status.PUBLISHED:
        return None
    session = minutes.session
    return _session_context(session) | {
        "minutes_url": absolute_url(reverse("meetings:minutes_detail", kwargs={"session_id": session.public_id})),
        "decisions": list(Decision.objects.filter(session=session).order_by("created_at", "pk")),
        "actions": list(
            Action.objects.filter(session=session).select_related("owner_operator").order_by("created_at", "pk")
        ),
    }


def _load_action(n: Notification) -> Action | None:
    return Action.objects.select_related("series", "owner_operator").filter(pk=n.object_id).first()


def _build_action(n: Notification, action: Action) -> dict | None:
    if action.status != Action.Status.OPEN:
        return None
    return {
        "action": action,
        "series": action.series,
        "overdue": action.due_date < timezone.localdate(),
        "actions_url": absolute_url(reverse("core:home")),
    }


def _load_poll(n: Notification) -> SlotPoll | None:
    return SlotPoll.objects.select_related("series").filter(pk=n.object_id).first()


def _build_poll(n: Notification, poll: SlotPoll) -> dict | None:
    if n.kind == MeetingKind.POLL_RESULT:
        if poll.status != SlotPoll.Status.CLOSED:
            return None
    elif poll.status != SlotPoll.Status.OPEN or poll.deadline <= timezone.now():
        return None
    return {
        "poll": poll,
        "series": poll.series,
        "chosen": poll.chosen_slot,
        "poll_url": absolute_url(reverse("meetings:poll_detail", kwargs={"poll_id": poll.public_id})),
    }


def _load_join_request(n: Notification) -> JoinRequest | None:
    return JoinRequest.objects.select_related("series", "operator").filter(pk=n.object_id).first()


def _build_join_request(n: Notification, request: JoinRequest) -> dict | None:
    if n.kind == MeetingKind.JOIN_REQUEST_RECEIVED and request.status != JoinRequest.Status.PENDING:
        return None
    series_id = request.series.public_id
    return {
        "join_request": request,
        "series": request.series,
        "requests_url": absolute_url(reverse("meetings:join_request_list", kwargs={"series_id": series_id})),
        "series_url": absolute_url(reverse("meetings:series_detail", kwargs={"series_id": series_id})),
    }


# --- The charter ---------------------------------------------------------------


def _load_charter_reminder(n: Notification) -> CharterReminder | None:
    return (
        CharterReminder.objects.select_related("version__charter__series", "version__charter")
        .filter(pk=n.object_id)
        .first()
    )


def _still_held(user, reminder: CharterReminder) -> bool:
    """The person takes part and still has not accepted the charter (they may have, since the scan)."""
    return reminder.version.charter.series_id in charter_locked_series_ids(user)


def _build_charter_reminder(n: Notification, reminder: CharterReminder) -> dict | None:
    charter = reminder.version.charter
    if charter.current_version_id != reminder.version_id or not charter.required:
        return None  # a newer version, or no longer required: this reminder has nothing left to say
    series = charter.series
    # The charter's title and number only: never its text.
    return {
        "series": series,
        "version": reminder.version,
        "charter_url": absolute_url(reverse("meetings:charter", kwargs={"series_id": series.public_id})),
    }


def _kind(code: MeetingKind, load, build, **options) -> Kind:
    return Kind(code=code.value, label=code.label, load=load, build=build, **options)


KINDS = (
    _kind(
        MeetingKind.SESSION_INVITATION,
        _load_session,
        _build_invitation,
        reaches=_takes_part,
        mandatory=True,
        attachment=_calendar("REQUEST"),
    ),
    _kind(
        MeetingKind.SESSION_CANCELLED,
        _load_session,
        _build_cancelled,
        mandatory=True,
        attachment=_calendar("CANCEL"),
    ),
    _kind(MeetingKind.SESSION_REMINDER, _load_session, _build_reminder, reaches=_takes_part),
    _kind(MeetingKind.INFO_ROUND_OPEN, _load_session, _build_info_round),
    _kind(MeetingKind.INFO_ROUND_REMINDER, _load_session, _build_info_round),
    _kind(MeetingKind.INFO_ROUND_LAST_CALL, _load_session, _build_info_round),
    _kind(MeetingKind.MINUTES_PUBLISHED, _load_minutes, _build_minutes),
    _kind(MeetingKind.ACTION_DUE, _load_action, _build_action),
    _kind(MeetingKind.ACTION_OVERDUE, _load_action, _build_action),
    _kind(MeetingKind.POLL_INVITATION, _load_poll, _build_poll),
    _kind(MeetingKind.POLL_REMINDER, _load_poll, _build_poll),
    _kind(MeetingKind.POLL_RESULT, _load_poll, _build_poll),
    _kind(MeetingKind.JOIN_REQUEST_RECEIVED, _load_join_request, _build_join_request),
    _kind(MeetingKind.JOIN_REQUEST_DECIDED, _load_join_request, _build_join_request),
    _kind(MeetingKind.CHARTER_REMINDER, _load_charter_reminder, _build_charter_reminder, reaches=_still_held),
)
