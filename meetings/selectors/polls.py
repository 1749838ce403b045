"""Reads of the slot poll ("décider du moment opportun"): results and what awaits an answer."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from accounts.selectors import user_operator_roles
from operators.models import Operator

from ..models import Participation, PollAnswer, PollSlot, SlotPoll


def poll_get_for_user(user, public_id, perm: str = "meetings.view_series") -> SlotPoll:
    poll = SlotPoll.objects.select_related("series", "chosen_slot").filter(public_id=public_id).first()
    if poll is None or not user.has_perm(perm, poll.series):
        raise Http404
    return poll


def slot_end_time(slot: PollSlot) -> datetime.time:
    """The wall-clock time at which a slot ends (slots end by midnight)."""
    start = datetime.datetime.combine(datetime.date(2000, 1, 1), slot.start_time)
    return (start + datetime.timedelta(minutes=slot.duration)).time()


def slot_label(slot: PollSlot) -> str:
    """ "Tuesday 13:30–15:00": the weekday label is translated, times are 24-hour."""
    return f"{slot.get_weekday_display()} {slot.start_time:%H:%M}–{slot_end_time(slot):%H:%M}"


@dataclass
class SlotResult:
    """One candidate slot with the operators behind each answer."""

    slot: PollSlot
    label: str
    chosen: bool = False
    yes: list[Operator] = field(default_factory=list)
    if_need_be: list[Operator] = field(default_factory=list)
    no: list[Operator] = field(default_factory=list)

    @property
    def available(self) -> int:
        return len(self.yes) + len(self.if_need_be)

    def rank_key(self) -> tuple:
        # Most yes + if need be, then most yes, then fewest no; ties in week order.
        return (-self.available, -len(self.yes), len(self.no), self.slot.weekday, self.slot.start_time)


@dataclass
class OperatorAnswers:
    """One operator's answers, in the slots' week order, and who gave them last."""

    operator: Operator
    choices: dict[int, str]  # {slot id: PollAnswer.Choice}
    cells: list[str]  # choice labels in slot order, "" where not answered
    answered_by: object | None = None  # the person who answered last
    answered_at: datetime.datetime | None = None
    complete: bool = False


@dataclass
class PollResults:
    poll: SlotPoll
    slots: list[SlotResult]  # week order
    ranked: list[SlotResult]  # best first
    operators: list[OperatorAnswers]  # the operators counted, by name
    pending: list[OperatorAnswers]  # those that have not answered every slot

    def answers_of(self, operator_id: int) -> dict[int, str]:
        for row in self.operators:
            if row.operator.pk == operator_id:
                return row.choices
        return {}


def poll_results(*, poll: SlotPoll) -> PollResults:
    """Counts per slot, best slots first, and who has not answered (three queries).

    While the poll is open only the operators taking part now count; once it
    is closed, every answer given stays as it was recorded.
    """
    slots = list(PollSlot.objects.filter(poll=poll).order_by("weekday", "start_time", "duration"))
    answers = list(
        PollAnswer.objects.filter(slot__poll=poll).select_related("operator", "answered_by").order_by("answered_at")
    )
    participants = [
        p.operator
        for p in Participation.objects.filter(series_id=poll.series_id, until__isnull=True).select_related("operator")
    ]
    operators = {op.pk: op for op in participants}
    if poll.status == SlotPoll.Status.CLOSED:
        for answer in answers:
            operators.setdefault(answer.operator_id, answer.operator)
    else:
        answers = [a for a in answers if a.operator_id in operators]

    results = [SlotResult(slot=s, label=slot_label(s), chosen=s.pk == poll.chosen_slot_id) for s in slots]
    by_slot = {r.slot.pk: r for r in results}
    rows = {
        pk: OperatorAnswers(operator=op, choices={}, cells=[])
        for pk, op in sorted(operators.items(), key=lambda item: item[1].name.casefold())
    }
    buckets = {PollAnswer.Choice.YES: "yes", PollAnswer.Choice.IF_NEED_BE: "if_need_be", PollAnswer.Choice.NO: "no"}
    for answer in answers:  # oldest first: the last one seen is the latest
        getattr(by_slot[answer.slot_id], buckets[answer.choice]).append(answer.operator)
        row = rows[answer.operator_id]
        row.choices[answer.slot_id] = answer.choice
        row.answered_by, row.answered_at = answer.answered_by, answer.answered_at
    labels = dict(PollAnswer.Choice.choices)
    for row in rows.values():
        row.cells = [labels.get(row.choices.get(s.pk), "") for s in slots]
        row.complete = bool(slots) and all(s.pk in row.choices for s in slots)
    for result in results:
        for names in (result.yes, result.if_need_be, result.no):
            names.sort(key=lambda op: op.name.casefold())
    return PollResults(
        poll=poll,
        slots=results,
        ranked=sorted(results, key=SlotResult.rank_key),
        operators=list(rows.values()),
        pending=[row for row in rows.values() if not row.complete],
    )


def poll_answerable_operators(*, results: PollResults, user) -> list[Operator]:
    """The operators the person may answer for: theirs among those taking part now (no query).

    Relies on `results` listing the current participants, which holds while
    the poll is open; a closed poll takes no answers anyway.
    """
    mine = user_operator_roles(user)
    return [row.operator for row in results.operators if row.operator.pk in mine]


def polls_for_series(*, series) -> QuerySet[SlotPoll]:
    """The polls of a series, open ones first, newest first (for the series page)."""
    return SlotPoll.objects.filter(series=series).select_related("chosen_slot").order_by("-status", "-created_at")


def polls_awaiting_answer(*, user) -> QuerySet[SlotPoll]:
    """Open polls where an operator of the person, taking part now, has a slot left unanswered.

    Two queries at most whatever the number of polls, slots and operators
    (the person's memberships, cached on the user, then the polls).
    """
    operator_ids = list(user_operator_roles(user))
    if not operator_ids:
        return SlotPoll.objects.none()
    unanswered_slot = PollSlot.objects.filter(poll=OuterRef(OuterRef("pk"))).exclude(
        Exists(PollAnswer.objects.filter(slot=OuterRef("pk"), operator=OuterRef(OuterRef("operator_id"))))
    )
    operator_with_gap = Participation.objects.filter(
        series=OuterRef("series_id"), operator_id__in=operator_ids, until__isnull=True
    ).filter(Exists(unanswered_slot))
    return (
        SlotPoll.objects.filter(status=SlotPoll.Status.OPEN)
        .filter(Exists(operator_with_gap))
        .select_related("series")
        .order_by("deadline", "pk")
    )
