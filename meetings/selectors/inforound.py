"""Reads of the info round: its window, its questions, the completion board and the compiled round.

Every list here runs a fixed number of queries whatever the number of
operators or entries (tested with django_assert_num_queries).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import ngettext

from accounts.selectors import user_operator_roles
from core import formats
from core.brussels import brussels_date
from notifications.models import Notification
from operators.models import Operator

from ..fragments import series_fragment_key
from ..models import (
    AgendaTemplate,
    AnswerType,
    CapacityStatus,
    InfoRoundAnswer,
    InfoRoundEntry,
    InfoRoundQuestion,
    Session,
)
from .absences import absence_book
from .access import session_operators

# "absent": the operator declared an absence covering the session's day and
# has not submitted: not "missing" (selectors/absences.py).
BOARD_STATUSES = ("submitted", "late", "draft", "not_started", "absent")
# What an answer holds, whatever its kind (the values the pages show).
ANSWER_COLUMNS = ("question_id", "text", "capacity", "waiting_days", "places", "number")


def info_round_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    """(opens_at, deadline) of the session's info round: it opens
    `info_round_open_days` before the start; an entry submitted after the
    deadline (`info_round_deadline_hours` before the start) is late. It can be
    edited until the start. Pure: reads `session.series`, runs no query once
    the series is loaded."""
    series = session.series
    opens_at = session.starts_at - datetime.timedelta(days=series.info_round_open_days)
    deadline = session.starts_at - datetime.timedelta(hours=series.info_round_deadline_hours)
    return opens_at, deadline


class InfoRoundPhase:
    """Where a session's info round stands (see info_round_phase)."""

    CANCELLED = "cancelled"  # the session is cancelled: there is no round to fill
    NOT_OPEN = "not_open"  # its window opens later
    OPEN = "open"  # members of the operators taking part fill their entries
    CLOSED = "closed"  # the session has started, or was held: what was not filled will not be


def info_round_phase(session: Session, now: datetime.datetime) -> str:
    """The InfoRoundPhase of the session's info round at `now`: the one answer
    the service, the pages, the dashboard and the reminders rely on. Pure, as
    info_round_window."""
    if session.status == Session.Status.CANCELLED:
        return InfoRoundPhase.CANCELLED
    if now >= session.starts_at or session.status != Session.Status.PLANNED:
        return InfoRoundPhase.CLOSED
    opens_at, _deadline = info_round_window(session)
    if now < opens_at:
        return InfoRoundPhase.NOT_OPEN
    return InfoRoundPhase.OPEN


def info_round_questions(session: Session) -> list[InfoRoundQuestion]:
    """The questions of the session's info round: those of the template its
    agenda came from, or the series' current template (one query)."""
    if session.agenda_template_id:
        condition = Q(template_id=session.agenda_template_id)
    else:
        current = (
            AgendaTemplate.objects.filter(series_id=session.series_id, status=AgendaTemplate.Status.PUBLISHED)
            .order_by("-version")
            .values("pk")[:1]
        )
        condition = Q(template_id__in=current)
    return list(InfoRoundQuestion.objects.filter(condition).order_by("position", "pk"))


def info_round_entry_status(entry: InfoRoundEntry | None) -> str:
    """One of BOARD_STATUSES."""
    if entry is None:
        return "not_started"
    if entry.status == InfoRoundEntry.Status.SUBMITTED:
        return "late" if entry.is_late else "submitted"
    return "draft"


@dataclass
class BoardRow:
    operator: Operator
    entry: InfoRoundEntry | None
    status: str
    # When a member of the operator was last sent an info-round email for this session.
    last_reminded_at: datetime.datetime | None = None


INFO_ROUND_KINDS = ("info_round_open", "info_round_reminder", "info_round_last_call")


def _last_reminded(session: Session, operator_ids: list[int]) -> dict[int, datetime.datetime]:
    rows = (
        Notification.objects.filter(
            object_type="meetings.session",
            object_id=str(session.pk),
            kind__in=INFO_ROUND_KINDS,
            state=Notification.State.SENT,
            recipient__memberships__operator_id__in=operator_ids,
        )
        .values_list("recipient__memberships__operator_id")
        .annotate(last=Max("sent_at"))
        .order_by()
    )
    return dict(rows)


def _board_status(entry: InfoRoundEntry | None, absent: bool) -> str:
    status = info_round_entry_status(entry)
    return "absent" if absent and status not in ("submitted", "late") else status


def info_round_board(*, session: Session) -> list[BoardRow]:
    """One row per operator of the session (see session_operators) with its
    entry, status (absent when it declared an absence for the session's day
    and did not submit) and last reminder; four queries whatever the number
    of operators."""
    operators = session_operators(session)
    entries = {
        e.operator_id: e
        for e in InfoRoundEntry.objects.filter(session=session).select_related("updated_by", "submitted_by")
    }
    reminded = _last_reminded(session, [op.pk for op in operators])
    day = brussels_date(session.starts_at)
    absences = absence_book(day, day, operator_ids=[op.pk for op in operators])
    return [
        BoardRow(
            operator=op,
            entry=entries.get(op.pk),
            status=_board_status(entries.get(op.pk), absences.operator_away(op.pk, day) is not None),
            last_reminded_at=max(
                (t for t in (reminded.get(op.pk), getattr(entries.get(op.pk), "last_reminded_at", None)) if t),
                default=None,
            ),
        )
        for op in operators
    ]


def answer_display(question: InfoRoundQuestion, answer: InfoRoundAnswer | None) -> str:
    """An answer as people read it, whatever its kind: the text or the option,
    the number, or the capacity level in words with the figures given."""
    if answer is None:
        return ""
    if question.answer_type == AnswerType.CAPACITY:
        if not answer.capacity:
            return ""
        parts = [str(CapacityStatus(answer.capacity).label)]
        if answer.waiting_days is not None:
            parts.append(
                ngettext("waiting time: %(n)s day", "waiting time: %(n)s days", answer.waiting_days)
                % {"n": formats.number(answer.waiting_days)}
            )
        if answer.places is not None:
            parts.append(
                ngettext("%(n)s place available", "%(n)s places available", answer.places)
                % {"n": formats.number(answer.places)}
            )
        return " · ".join(parts)
    if question.answer_type == AnswerType.NUMBER:
        return "" if answer.number is None else formats.number(answer.number)
    return answer.text


@dataclass
class CompiledEntry:
    """An operator's submitted entry with every question's answer in order
    (as answer_display writes it) and its capacity signal, if its round asks
    for one; `entry` is None (and `answers` empty) when it has not submitted."""

    operator: Operator
    entry: InfoRoundEntry | None
    answers: list[tuple[InfoRoundQuestion, str]]
    signal: InfoRoundAnswer | None = None

    @property
    def answered(self) -> bool:
        return self.entry is not None

    @property
    def status(self) -> str:
        return info_round_entry_status(self.entry)


def info_round_compiled(*, session: Session) -> list[CompiledEntry]:
    """Every operator of the session, by name, with its submitted entry (drafts
    stay private to their operator), its answers as people read them and its
    capacity signal. Four queries whatever the number of operators and answers."""
    questions = info_round_questions(session)
    operators = session_operators(session)
    entries = {
        e.operator_id: e
        for e in InfoRoundEntry.objects.filter(session=session, status=InfoRoundEntry.Status.SUBMITTED)
        .select_related("submitted_by", "updated_by")
        .prefetch_related(Prefetch("answers", queryset=InfoRoundAnswer.objects.only("entry_id", *ANSWER_COLUMNS)))
    }
    signal_question = next((q for q in questions if q.answer_type == AnswerType.CAPACITY), None)
    compiled = []
    for operator in operators:
        entry = entries.get(operator.pk)
        answers, signal = [], None
        if entry is not None:
            given = {a.question_id: a for a in entry.answers.all()}
            answers = [(q, answer_display(q, given.get(q.pk))) for q in questions]
            signal = given.get(signal_question.pk) if signal_question else None
        compiled.append(CompiledEntry(operator=operator, entry=entry, answers=answers, signal=signal))
    return compiled


def info_round_compiled_page(*, session: Session) -> tuple[list[CompiledEntry], str]:
    """The compiled round of the session page, read only when rendered, and
    the key of its cached fragment: the same for everyone who sees the
    session (drafts are never in it), changed by every write in the series."""
    compiled = SimpleLazyObject(lambda: info_round_compiled(session=session))
    return compiled, series_fragment_key("info-round-compiled", session.series_id, session.pk)


def info_round_entry_with_answers(
    session: Session, operator: Operator
) -> tuple[InfoRoundEntry | None, dict[int, InfoRoundAnswer]]:
    """The operator's entry for the session (or None) and its answers by question id (two queries)."""
    entry = (
        InfoRoundEntry.objects.filter(session=session, operator=operator)
        .select_related("updated_by", "submitted_by")
        .first()
    )
    if entry is None:
        return None, {}
    return entry, {a.question_id: a for a in entry.answers.only("entry_id", *ANSWER_COLUMNS)}


def info_round_operators_of_user(user, session: Session) -> list[Operator]:
    """The person's operators (any role) that take part in the session."""
    mine = set(user_operator_roles(user))
    if not mine:
        return []
    return session_operators(session, among=mine)


@dataclass
class InfoRoundPanel:
    """What the session page shows of the info round to one person: its
    window and phase, and the entries of their operators taking part."""

    opens_at: datetime.datetime
    deadline: datetime.datetime
    phase: str
    mine: list[tuple[Operator, str]]  # (operator, one of BOARD_STATUSES)

    @property
    def is_open(self) -> bool:
        return self.phase == InfoRoundPhase.OPEN

    @property
    def closed(self) -> bool:
        return self.phase == InfoRoundPhase.CLOSED


def info_round_panel(*, user, session: Session, now: datetime.datetime) -> InfoRoundPanel:
    """The info-round panel of the session page (two queries when the person
    has operators, none otherwise)."""
    opens_at, deadline = info_round_window(session)
    mine = []
    operators = info_round_operators_of_user(user, session)
    if operators:
        entries = {e.operator_id: e for e in InfoRoundEntry.objects.filter(session=session, operator__in=operators)}
        mine = [(op, info_round_entry_status(entries.get(op.pk))) for op in operators]
    return InfoRoundPanel(opens_at, deadline, info_round_phase(session, now), mine)
