"""The slot poll ("décider du moment opportun"): propose slots, answer, close on one.

Each function owns one change and is atomic: when it raises, nothing it
touched is saved.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require_perm
from core.services import audit_record
from operators.models import Operator

from ..models import PollAnswer, PollSlot, Series, SlotPoll, Weekday
from ..selectors.access import participating_operator_ids
from .sessions import RegenerationReport, series_set_recurrence

MAX_SLOTS = 20
MIN_DURATION, MAX_DURATION = 5, 720  # as the poll_slot_duration_range constraint
TITLE_MAX, MESSAGE_MAX = 200, 2000


def _slot_errors(weekday, start_time, duration) -> list[str]:
    errors = []
    if not isinstance(weekday, int) or weekday not in Weekday.values:
        errors.append(_("Choose a day of the week."))
    if not isinstance(start_time, datetime.time):
        errors.append(_("Give a start time between 00:00 and 23:59."))
    if not isinstance(duration, int) or not MIN_DURATION <= duration <= MAX_DURATION:
        errors.append(
            _("The duration is between %(min)d and %(max)d minutes.") % {"min": MIN_DURATION, "max": MAX_DURATION}
        )
    elif isinstance(start_time, datetime.time) and start_time.hour * 60 + start_time.minute + duration > 24 * 60:
        errors.append(_("A meeting ends by midnight: choose an earlier start or a shorter duration."))
    return errors


@transaction.atomic
def poll_create(
    *,
    actor,
    series: Series,
    title: str,
    message: str = "",
    deadline: datetime.datetime,
    slots: list[tuple[int, datetime.time, int]],
) -> SlotPoll:
    """Open a poll on `series` with its candidate slots; the operators taking part may answer from now on.

    Guarantees: the actor may change the series; one to MAX_SLOTS distinct
    slots, each a valid weekday, a start time and a duration within the
    allowed range ending by midnight; a future deadline; a non-empty title.
    Otherwise ValidationError and nothing is saved. Sends nothing (the
    invitations come with the notifications).
    """
    require_perm(actor, "meetings.change_series", series)
    title, message = (title or "").strip(), (message or "").strip()
    errors = []
    if not title:
        errors.append(_("Give the poll a title."))
    elif len(title) > TITLE_MAX:
        errors.append(_("The title is %(max)d characters at most.") % {"max": TITLE_MAX})
    if len(message) > MESSAGE_MAX:
        errors.append(_("The message is %(max)d characters at most.") % {"max": MESSAGE_MAX})
    if not isinstance(deadline, datetime.datetime) or timezone.is_naive(deadline):
        errors.append(_("Give a date and time to answer by."))
    elif deadline <= timezone.now():
        errors.append(_("The deadline to answer must be in the future."))
    # Minutes are the finest grain: 13:30:15 is the same slot as 13:30.
    slots = [(w, t.replace(second=0, microsecond=0) if isinstance(t, datetime.time) else t, d) for w, t, d in slots]
    if not slots:
        errors.append(_("Propose at least one slot."))
    elif len(slots) > MAX_SLOTS:
        errors.append(_("Propose %(max)d slots at most.") % {"max": MAX_SLOTS})
    for weekday, start_time, duration in slots:
        errors.extend(e for e in _slot_errors(weekday, start_time, duration) if e not in errors)
    if len(set(slots)) != len(slots):
        errors.append(_("The same slot is proposed twice."))
    if errors:
        raise ValidationError(errors)

    poll = SlotPoll.objects.create(series=series, title=title, message=message, deadline=deadline, created_by=actor)
    PollSlot.objects.bulk_create([PollSlot(poll=poll, weekday=w, start_time=t, duration=d) for w, t, d in slots])
    audit_record(actor=actor, action="poll.create", obj=poll, detail={"series": series.pk, "slots": len(slots)})
    return poll


@transaction.atomic
def poll_answer(*, actor, poll: SlotPoll, operator: Operator, answers: dict[int, str]) -> int:
    """Record `operator`'s answers to some or all slots of an open poll; return how many changed.

    Guarantees: one answer per operator and slot (a new answer replaces the
    previous one and records who gave it and when); the actor belongs to
    `operator` and the operator takes part in the series now; every slot is
    one of this poll's and every choice is yes, if need be or no; the poll is
    open (checked under a row lock, so an answer never lands on a poll being
    closed). Otherwise ValidationError and nothing is saved.
    """
    locked = SlotPoll.objects.select_for_update().get(pk=poll.pk)
    if locked.status != SlotPoll.Status.OPEN:
        raise ValidationError(_("This poll is closed: its answers can no longer be changed."))
    if operator.pk not in participating_operator_ids(actor, poll.series):
        raise ValidationError(_("You can only answer for an operator you belong to that takes part in this series."))
    if not answers:
        raise ValidationError(_("Answer at least one slot."))
    slot_ids = set(PollSlot.objects.filter(poll=poll).values_list("pk", flat=True))
    if not set(answers) <= slot_ids:
        raise ValidationError(_("These answers name a slot that is not part of this poll."))
    if not set(answers.values()) <= set(PollAnswer.Choice.values):
        raise ValidationError(_("Answer each slot with yes, if need be or no."))

    current = dict(PollAnswer.objects.filter(slot__poll=poll, operator=operator).values_list("slot_id", "choice"))
    now = timezone.now()
    changed = [
        PollAnswer(slot_id=slot_id, operator=operator, choice=choice, answered_by=actor, answered_at=now)
        for slot_id, choice in sorted(answers.items())
        if current.get(slot_id) != choice
    ]
    # An upsert, so that two members of one operator answering at once never collide.
    PollAnswer.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["slot", "operator"],
        update_fields=["choice", "answered_by", "answered_at"],
    )
    if changed:
        audit_record(
            actor=actor, action="poll.answer", obj=poll, detail={"operator": operator.pk, "changed": len(changed)}
        )
    return len(changed)


@transaction.atomic
def poll_close(*, actor, poll: SlotPoll, slot: PollSlot) -> RegenerationReport:
    """Close an open poll on `slot`: it becomes the series' weekly recurrence and its sessions are generated.

    Guarantees: the actor may change the series; `slot` is one of the poll's;
    the poll was open and is closed exactly once (a conditional update, so two
    coordinators closing at once cannot both apply a slot). Returns the report
    of meetings.services.sessions.series_set_recurrence. When generating the
    sessions fails (e.g. the slot gives no date left in the period), its
    messages are raised as one ValidationError and the poll stays open, the
    series and its sessions unchanged.
    """
    series = poll.series
    require_perm(actor, "meetings.change_series", series)
    if slot.poll_id != poll.pk:
        raise ValidationError(_("Choose one of this poll's slots."))
    claimed = SlotPoll.objects.filter(pk=poll.pk, status=SlotPoll.Status.OPEN).update(
        status=SlotPoll.Status.CLOSED, chosen_slot=slot, closed_by=actor, closed_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("This poll is already closed."))
    try:
        report = series_set_recurrence(
            actor=actor,
            series=series,
            recurrence=Series.Recurrence.WEEKLY,
            weekday=slot.weekday,
            start_time=slot.start_time,
            duration=slot.duration,
            interval_weeks=1,
            month_week=None,
            skip_holidays=series.skip_holidays,
        )
    except ValidationError as exc:
        # Its errors may name the recurrence form's fields; here they are about the slot.
        raise ValidationError(exc.messages) from exc
    poll.refresh_from_db()
    audit_record(actor=actor, action="poll.close", obj=poll, detail={"series": series.pk, "slot": slot.pk})
    return report
