"""Writes of the live session and of its minutes.

During the meeting, coordinators move through the agenda (each item's
`started_at`/`ended_at`, the session's `current_item`), type notes per item and
record attendance. Ending the meeting marks the session held and drafts the
minutes from what was recorded.

The minutes go draft → approved → published (`minutes_transition` owns that
state machine; "back to draft" is allowed from approved). In a series whose
minutes are approved at the next session, they go draft → published
(provisional) and the next session approves them
(`minutes_approve_at_session`, see services/corrections.py). Only a draft can
be edited. Published minutes are final: they are what the participants were
told, so no correction path exists after publishing (a correction is decided
at the next session and recorded in its minutes).

Concurrent edits never lose text: item notes are locked optimistically on
`AgendaItem.notes_version`, the summary and the state on `Minutes.version`. A
save made on an old version that would overwrite someone else's change
raises a conflict carrying both texts; nothing is written. Every change to the
minutes once they exist is kept as a MinutesRevision (a full snapshot).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require_perm
from core.services import audit_record
from operators.models import Operator, OperatorMembership

from ..models import AgendaItem, AgendaItemKind, Attendance, Minutes, MinutesCorrection, MinutesRevision, Session
from ..models.ritual import MAX_NOTES_LENGTH
from ..selectors.access import session_operators
from ..selectors.live import session_can_end
from ..selectors.minutes import minutes_content
from .corrections import minutes_approval_item_add, minutes_approving_session

# Coordinators may open the agenda this long before the start (to be ready).
LIVE_OPENS_BEFORE = datetime.timedelta(minutes=30)

TRANSITIONS = {
    Minutes.Status.DRAFT: {Minutes.Status.APPROVED},
    Minutes.Status.APPROVED: {Minutes.Status.DRAFT, Minutes.Status.PUBLISHED},
    Minutes.Status.PUBLISHED: set(),
}
# Approved at the next session: published as they are, provisional until then.
TRANSITIONS_NEXT_SESSION = {
    Minutes.Status.DRAFT: {Minutes.Status.PUBLISHED},
    Minutes.Status.APPROVED: {Minutes.Status.DRAFT, Minutes.Status.PUBLISHED},
    Minutes.Status.PUBLISHED: set(),
}


def minutes_moves(minutes: Minutes, series) -> set[str]:
    """The states `minutes` (of a session of `series`) may move to now. In a
    series that approves minutes at the next session, a draft is published as
    provisional; when no session follows (the end of a pilot), its
    coordinators approve it as usual. No query unless the series has that option."""
    if not series.minutes_approved_at_next_session:
        return set(TRANSITIONS.get(minutes.status, set()))
    moves = set(TRANSITIONS_NEXT_SESSION.get(minutes.status, set()))
    if minutes.status == Minutes.Status.DRAFT and minutes_approving_session(minutes) is None:
        moves.add(Minutes.Status.APPROVED)
    return moves


class NotesConflict(Exception):
    """Someone saved this item's notes since the editor loaded them."""

    def __init__(self, current: AgendaItem):
        super().__init__("notes conflict")
        self.current = current


@dataclass
class FieldConflict:
    key: str  # "summary" or the agenda item's pk
    saved: str
    yours: str


class MinutesConflict(Exception):
    """Someone saved the minutes since the editor loaded them and changed
    fields the editor changed too. Carries the current minutes, the current
    items ({pk: item}), one FieldConflict per such field, the fields only the
    other person changed and the number of the latest version."""

    def __init__(self, minutes: Minutes, items: dict, conflicts: list[FieldConflict], keep: set):
        super().__init__("minutes conflict")
        self.minutes, self.items, self.conflicts = minutes, items, conflicts
        # Fields only the other person changed: their text stands.
        self.keep = keep
        self.revision = minutes.revisions.aggregate(top=Max("number"))["top"]


def _check_notes(text: str, field_name: str) -> str:
    if len(text) > MAX_NOTES_LENGTH:
        raise ValidationError(
            {field_name: _("Keep the notes under %(limit)d characters.") % {"limit": MAX_NOTES_LENGTH}}
        )
    return text


def _revision_add(minutes: Minutes, actor) -> MinutesRevision:
    """Keep the minutes as they are now; the caller holds the minutes' row lock."""
    number = (minutes.revisions.aggregate(top=Max("number"))["top"] or 0) + 1
    return MinutesRevision.objects.create(
        minutes=minutes,
        number=number,
        status=minutes.status,
        content=minutes_content(minutes.session, minutes.summary),
        author=actor,
    )


def _locked_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("series").get(pk=session.pk)


def _locked_draft_minutes(session: Session) -> Minutes | None:
    """For a held session, its minutes locked if they are a draft (else a
    ValidationError); None while the session is planned."""
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled."))
    if session.status == Session.Status.PLANNED:
        return None
    minutes = Minutes.objects.select_for_update().select_related("session").filter(session=session).first()
    if minutes is None or minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("The minutes of this session are no longer a draft: they can no longer change."))
    return minutes


# Running the session live --------------------------------------------------------------------------


def _check_live(session: Session, now: datetime.datetime) -> None:
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("The meeting is over or cancelled: its agenda can no longer be run."))
    if now < session.starts_at - LIVE_OPENS_BEFORE:
        raise ValidationError(_("The meeting has not started yet: the agenda opens 30 minutes before the start."))


@transaction.atomic
def agenda_item_start(*, actor, item: AgendaItem, now: datetime.datetime | None = None) -> AgendaItem:
    """Make `item` the current item of its session: the item that was current
    ends now, this one starts now (its timer restarts if it had run before).
    Starting the item that is already current changes nothing, so two
    coordinators clicking together do not restart the timer."""
    now = now or timezone.now()
    session = _locked_session(item.session)
    require_perm(actor, "meetings.change_series", session.series)
    _check_live(session, now)
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk, session=session)
    if session.current_item_id == locked.pk:
        return locked
    if session.current_item_id:
        AgendaItem.objects.filter(pk=session.current_item_id, ended_at__isnull=True).update(ended_at=now)
    locked.started_at, locked.ended_at = now, None
    locked.save(update_fields=["started_at", "ended_at"])
    session.current_item = locked
    session.save(update_fields=["current_item", "updated_at"])
    return locked


@transaction.atomic
def agenda_next_item(
    *, actor, session: Session, seen_current: int | None, now: datetime.datetime | None = None
) -> AgendaItem | None:
    """Move from the current item to the next one (the first when none is
    current). `seen_current` is the item the coordinator saw as current: when
    another coordinator moved on in between, nothing moves again. Returns the
    item now current (None after the last item, which is then ended)."""
    now = now or timezone.now()
    locked = _locked_session(session)
    require_perm(actor, "meetings.change_series", locked.series)
    _check_live(locked, now)
    items = list(locked.agenda_items.order_by("position", "pk"))
    if locked.current_item_id != seen_current:
        return next((i for i in items if i.pk == locked.current_item_id), None)
    ids = [i.pk for i in items]
    if locked.current_item_id in ids:
        position = ids.index(locked.current_item_id) + 1
    else:
        position = 0 if locked.current_item_id is None else len(ids)
    if position < len(items):
        return agenda_item_start(actor=actor, item=items[position], now=now)
    AgendaItem.objects.filter(pk=locked.current_item_id, ended_at__isnull=True).update(ended_at=now)
    locked.current_item = None
    locked.save(update_fields=["current_item", "updated_at"])
    return None


@transaction.atomic
def agenda_item_notes_save(
    *, actor, item: AgendaItem, notes: str, version: int, now: datetime.datetime | None = None
) -> AgendaItem:
    """Save an item's notes made on `version` of them. A save on an older
    version raises NotesConflict (nothing written) unless it says what is
    already saved. Allowed while the session is planned, and after it is held
    as long as its minutes are a draft (each change is then a new version of
    the minutes)."""
    _check_notes(notes, "notes")
    session = Session.objects.select_related("series").get(pk=item.session_id)
    require_perm(actor, "meetings.change_series", session.series)
    minutes = _locked_draft_minutes(session)
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if notes == locked.notes:
        return locked
    if version != locked.notes_version:
        raise NotesConflict(locked)
    locked.notes = notes
    locked.notes_version += 1
    locked.notes_updated_by = actor
    locked.notes_updated_at = now or timezone.now()
    locked.save(update_fields=["notes", "notes_version", "notes_updated_by", "notes_updated_at"])
    if minutes is not None:
        minutes.updated_by = actor
        minutes.save(update_fields=["updated_by", "updated_at"])
        _revision_add(minutes, actor)
    return locked


@transaction.atomic
def attendance_record(*, actor, session: Session, operator: Operator, user=None, status: str) -> Attendance | None:
    """Record an operator's attendance (user None) or a person's, for an
    operator taking part in the series and a member of that operator. An empty
    status removes what was recorded. Allowed while the session is planned or
    its minutes are a draft."""
    session = _locked_session(session)
    require_perm(actor, "meetings.change_series", session.series)
    minutes = _locked_draft_minutes(session)
    if status and status not in Attendance.Status.values:
        raise ValidationError({"status": _("Choose present, excused or absent.")})
    if operator.pk not in {op.pk for op in session_operators(session)}:
        raise ValidationError({"operator": _("This operator does not take part in this series.")})
    if user is not None and not OperatorMembership.objects.filter(operator=operator, user=user).exists():
        raise ValidationError({"user": _("This person is not a member of this operator.")})
    lookup = {"session": session, "operator": operator, "user": user}
    if status:
        attendance, _created = Attendance.objects.update_or_create(
            **lookup, defaults={"status": status, "recorded_by": actor}
        )
    else:
        Attendance.objects.filter(**lookup).delete()
        attendance = None
    if minutes is not None:
        _revision_add(minutes, actor)
    return attendance


@transaction.atomic
def session_end(*, actor, session: Session, now: datetime.datetime | None = None) -> Minutes:
    """End the meeting: the session becomes held (only once it has started:
    its start time is past or an item was started), the current item ends,
    and the minutes are drafted from what was recorded, with their first
    version."""
    now = now or timezone.now()
    locked = _locked_session(session)
    require_perm(actor, "meetings.change_series", locked.series)
    if locked.status == Session.Status.HELD:
        raise ValidationError(_("This meeting has already ended."))
    if locked.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled."))
    if not session_can_end(locked, now):
        raise ValidationError(_("This meeting has not started yet: it cannot be ended."))
    AgendaItem.objects.filter(session=locked, started_at__isnull=False, ended_at__isnull=True).update(ended_at=now)
    locked.status = Session.Status.HELD
    locked.current_item = None
    locked.save(update_fields=["status", "current_item", "updated_at"])
    minutes, _created = Minutes.objects.get_or_create(session=locked, defaults={"updated_by": actor})
    minutes.session = locked
    _revision_add(minutes, actor)
    audit_record(actor=actor, action="session.end", obj=locked)
    return minutes


# Minutes -----------------------------------------------------------------------------------------


def _base_content(minutes: Minutes, revision: int | None) -> dict:
    if revision is None:
        return {}
    found = minutes.revisions.filter(number=revision).values_list("content", flat=True).first()
    return found or {}


@transaction.atomic
def minutes_save(
    *,
    actor,
    minutes: Minutes,
    summary: str,
    version: int,
    notes: dict[int, tuple[str, int]],
    revision: int | None = None,
) -> Minutes:
    """Save the summary (made on `version` of the minutes) and the notes of
    the items ({item pk: (text, notes_version it was made on)}), all or
    nothing, as a new version of the minutes. Only a draft can be edited.

    A field saved by someone else since it was loaded is a conflict when this
    save changes it too (`revision` is the version of the minutes the editor
    started from): MinutesConflict is raised with both texts and nothing is
    written. A field only the other person changed keeps their text."""
    require_perm(actor, "meetings.change_series", minutes.session.series)
    locked = Minutes.objects.select_for_update().select_related("session").get(pk=minutes.pk)
    if locked.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Only draft minutes can be edited. Put them back to draft first."))
    items = {i.pk: i for i in AgendaItem.objects.select_for_update().filter(session_id=locked.session_id)}
    if set(notes) - set(items):
        raise ValidationError(_("These notes belong to another session."))
    _check_notes(summary, "summary")
    for pk, (text, _version) in notes.items():
        _check_notes(text, f"notes_{pk}")
    base = _base_content(locked, revision)
    base_notes = {item.get("id"): item.get("notes") for item in base.get("items", [])}
    conflicts, keep = [], set()
    if version != locked.version and summary != locked.summary:
        if summary == base.get("summary"):
            keep.add("summary")
        else:
            conflicts.append(FieldConflict("summary", locked.summary, summary))
    for pk, (text, item_version) in notes.items():
        item = items[pk]
        if item_version != item.notes_version and text != item.notes:
            if text == base_notes.get(pk):
                keep.add(pk)
            else:
                conflicts.append(FieldConflict(str(pk), item.notes, text))
    if conflicts:
        raise MinutesConflict(locked, items, conflicts, keep)
    now = timezone.now()
    changed = False
    if "summary" not in keep and summary != locked.summary:
        locked.summary = summary
        locked.version += 1
        changed = True
    for pk, (text, _version) in notes.items():
        item = items[pk]
        if pk in keep or text == item.notes:
            continue
        item.notes, item.notes_version = text, item.notes_version + 1
        item.notes_updated_by, item.notes_updated_at = actor, now
        item.save(update_fields=["notes", "notes_version", "notes_updated_by", "notes_updated_at"])
        changed = True
    if changed:
        locked.updated_by = actor
        locked.save(update_fields=["summary", "version", "updated_by", "updated_at"])
        _revision_add(locked, actor)
    return locked


@transaction.atomic
def minutes_transition(
    *, actor, minutes: Minutes, to: str, version: int, now: datetime.datetime | None = None
) -> Minutes:
    """The one place that moves minutes between states: draft → approved,
    approved → draft, approved → published. `version` is the version the
    coordinator looked at: minutes changed since are not approved or
    published blindly. Approving records who and when; going back to draft
    clears it; publishing records who and when (the notifier picks published
    minutes up by `published_at`) and goes to the audit trail; when the series
    approves minutes at its next session, published minutes are provisional
    and that session's agenda gets their approval item. Each move is a new
    version of the minutes."""
    now = now or timezone.now()
    require_perm(actor, "meetings.change_series", minutes.session.series)
    locked = Minutes.objects.select_for_update().select_related("session__series").get(pk=minutes.pk)
    if version != locked.version:
        raise ValidationError(_("Someone changed these minutes since you opened them. Read them again first."))
    if to not in minutes_moves(locked, locked.session.series):
        raise ValidationError(_("These minutes cannot go from this state to that one."))
    if to == Minutes.Status.APPROVED:
        locked.approved_by, locked.approved_at = actor, now
    elif to == Minutes.Status.DRAFT:
        locked.approved_by, locked.approved_at = None, None
    elif to == Minutes.Status.PUBLISHED:
        locked.published_by, locked.published_at = actor, now
        locked.provisional = locked.session.series.minutes_approved_at_next_session and not locked.approved_at
    locked.status = to
    locked.version += 1
    locked.updated_by = actor
    locked.save()
    _revision_add(locked, actor)
    if to == Minutes.Status.PUBLISHED:
        audit_record(actor=actor, action="minutes.publish", obj=locked, detail={"session": locked.session_id})
        if locked.provisional:
            minutes_approval_item_add(minutes=locked)
    return locked


@transaction.atomic
def minutes_approve_at_session(
    *, actor, item: AgendaItem, decisions: dict[int, str], now: datetime.datetime | None = None
) -> Minutes:
    """Tick the approval item of a session under way: every correction proposed
    to the provisional minutes is accepted or declined (`decisions`, {correction
    id: "accepted" | "declined"}, one for each), and the minutes become
    "approved on <date>" in this session, as a new version that lists the
    corrections accepted. The item ends now."""
    now = now or timezone.now()
    session = _locked_session(item.session)
    require_perm(actor, "meetings.change_series", session.series)
    _check_live(session, now)
    locked_item = AgendaItem.objects.select_for_update().get(pk=item.pk, session=session)
    if locked_item.kind != AgendaItemKind.MINUTES_APPROVAL or locked_item.minutes_to_approve_id is None:
        raise ValidationError(_("This item approves no minutes."))
    minutes = Minutes.objects.select_for_update().select_related("session").get(pk=locked_item.minutes_to_approve_id)
    if not minutes.provisional:
        raise ValidationError(_("These minutes are already approved."))
    proposed = list(minutes.corrections.select_for_update().filter(status=MinutesCorrection.Status.PROPOSED))
    undecided = [c for c in proposed if decisions.get(c.pk) not in ("accepted", "declined")]
    if undecided:
        raise ValidationError(_("Accept or decline each proposed correction first."))
    for correction in proposed:
        correction.status, correction.decided_by, correction.decided_at = decisions[correction.pk], actor, now
    MinutesCorrection.objects.bulk_update(proposed, ["status", "decided_by", "decided_at"])
    minutes.provisional = False
    minutes.approved_by, minutes.approved_at, minutes.approved_in = actor, now, session
    minutes.version += 1
    minutes.updated_by = actor
    minutes.save()
    revision = _revision_add(minutes, actor)
    revision.content["corrections_accepted"] = [
        {"item": c.agenda_item.title if c.agenda_item_id else "", "text": c.text}
        for c in minutes.corrections.filter(status=MinutesCorrection.Status.ACCEPTED).select_related("agenda_item")
    ]
    revision.save(update_fields=["content"])
    locked_item.started_at = locked_item.started_at or now
    locked_item.ended_at = now
    locked_item.save(update_fields=["started_at", "ended_at"])
    audit_record(
        actor=actor,
        action="minutes.approve_at_session",
        obj=minutes,
        detail={"session": session.pk, "corrections": len(proposed)},
    )
    return minutes
