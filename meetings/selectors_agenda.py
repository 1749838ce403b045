"""Reads of the agenda and the info round: templates and their versions, a
session's agenda, the info-round window, the completion board and the
compiled round.

Every list here runs a fixed number of queries whatever the number of
operators, items or entries (tested with django_assert_num_queries).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch, Q

from accounts.selectors import user_operator_roles
from operators.models import Operator

from .models import (
    AgendaItem,
    AgendaTemplate,
    AgendaTemplateItem,
    InfoRoundAnswer,
    InfoRoundEntry,
    InfoRoundQuestion,
    Participation,
    Series,
    Session,
)
from .recurrence import BRUSSELS

BOARD_STATUSES = ("submitted", "late", "draft", "not_started")


# --- Agenda templates -------------------------------------------------------


def agenda_template_current(series: Series) -> AgendaTemplate | None:
    """The series' published template of the highest version (None before the first)."""
    return (
        AgendaTemplate.objects.filter(series=series, status=AgendaTemplate.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )


def agenda_template_draft(series: Series) -> AgendaTemplate | None:
    """The version being prepared, if any (at most one per series)."""
    return AgendaTemplate.objects.filter(series=series, status=AgendaTemplate.Status.DRAFT).first()


def _with_content(queryset):
    return queryset.prefetch_related(
        Prefetch("items", queryset=AgendaTemplateItem.objects.order_by("position", "pk")),
        Prefetch("questions", queryset=InfoRoundQuestion.objects.order_by("position", "pk")),
    )


def agenda_template_with_content(template_id: int) -> AgendaTemplate:
    """One template with its items and questions (three queries)."""
    return _with_content(AgendaTemplate.objects.select_related("series")).get(pk=template_id)


@dataclass
class Change:
    """What changed in one item or question between two versions."""

    before: object | None
    after: object | None
    fields: list[str] = field(default_factory=list)


@dataclass
class TemplateChanges:
    items_added: list = field(default_factory=list)
    items_removed: list = field(default_factory=list)
    items_changed: list[Change] = field(default_factory=list)
    questions_added: list = field(default_factory=list)
    questions_removed: list = field(default_factory=list)
    questions_changed: list[Change] = field(default_factory=list)

    def __bool__(self):
        return any(
            (
                self.items_added,
                self.items_removed,
                self.items_changed,
                self.questions_added,
                self.questions_removed,
                self.questions_changed,
            )
        )


ITEM_FIELDS = ("title", "kind", "timebox", "presenter_role")
QUESTION_FIELDS = ("prompt", "kind", "help_text", "max_length", "required")


def _pair(before: list, after: list, key: str, fields: tuple[str, ...]):
    """Match the rows of two versions: first by the same `key` text, then the
    leftovers of the same kind in order (a renamed row is a change, not a
    removal and an addition). Returns (added, removed, changed)."""
    left = list(before)
    pairs, added = [], []
    for row in after:
        same = next((b for b in left if getattr(b, key).strip().lower() == getattr(row, key).strip().lower()), None)
        if same is not None:
            left.remove(same)
            pairs.append((same, row))
        else:
            added.append(row)
    for row in list(added):
        same = next((b for b in left if b.kind == row.kind), None)
        if same is not None:
            left.remove(same)
            added.remove(row)
            pairs.append((same, row))
    changed = []
    for old, new in pairs:
        names = [f for f in fields if getattr(old, f) != getattr(new, f)]
        if before.index(old) != after.index(new) and "position" not in names:
            names.append("position")
        if names:
            changed.append(Change(before=old, after=new, fields=names))
    changed.sort(key=lambda c: after.index(c.after))
    return added, left, changed


def agenda_template_changes(previous: AgendaTemplate | None, current: AgendaTemplate) -> TemplateChanges:
    """What `current` changes from `previous`: items and questions added, removed
    and changed (with the names of the changed fields, "position" when moved).

    Pure: both templates must come with their items and questions prefetched.
    """
    if previous is None:
        return TemplateChanges(items_added=list(current.items.all()), questions_added=list(current.questions.all()))
    items = _pair(list(previous.items.all()), list(current.items.all()), "title", ITEM_FIELDS)
    questions = _pair(list(previous.questions.all()), list(current.questions.all()), "prompt", QUESTION_FIELDS)
    return TemplateChanges(
        items_added=items[0],
        items_removed=items[1],
        items_changed=items[2],
        questions_added=questions[0],
        questions_removed=questions[1],
        questions_changed=questions[2],
    )


@dataclass
class TemplateVersion:
    template: AgendaTemplate
    items: list
    questions: list
    changes: TemplateChanges
    total_minutes: int


def agenda_template_history(*, series: Series) -> list[TemplateVersion]:
    """The series' published versions, newest first, each with what it changed
    from the one before. Three queries whatever the number of versions."""
    published = list(
        _with_content(
            AgendaTemplate.objects.filter(series=series, status=AgendaTemplate.Status.PUBLISHED).select_related(
                "published_by"
            )
        ).order_by("version")
    )
    history, previous = [], None
    for template in published:
        items = list(template.items.all())
        history.append(
            TemplateVersion(
                template=template,
                items=items,
                questions=list(template.questions.all()),
                changes=agenda_template_changes(previous, template),
                total_minutes=sum(i.timebox for i in items),
            )
        )
        previous = template
    history.reverse()
    return history


# --- A session's agenda ------------------------------------------------------


def session_agenda(*, session: Session) -> list[AgendaItem]:
    """The session's agenda items in order, with their presenting operator (one query)."""
    return list(
        AgendaItem.objects.filter(session=session).select_related("presenter_operator").order_by("position", "pk")
    )


def session_duration(session: Session) -> int:
    """The session's length in minutes."""
    return int((session.ends_at - session.starts_at).total_seconds() // 60)


@dataclass
class AgendaSummary:
    items: list[AgendaItem]
    total_minutes: int
    session_minutes: int

    @property
    def overrun(self) -> int:
        """Minutes by which the timeboxes exceed the session (0 when they fit)."""
        return max(0, self.total_minutes - self.session_minutes)


def session_agenda_summary(*, session: Session) -> AgendaSummary:
    items = session_agenda(session=session)
    return AgendaSummary(
        items=items, total_minutes=sum(i.timebox for i in items), session_minutes=session_duration(session)
    )


# --- The info round -----------------------------------------------------------


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


def session_operators(session: Session) -> list[Operator]:
    """The operators taking part in the series on the session's (Brussels) day,
    by name, plus those that wrote an entry for it and left since (one query)."""
    day = session.starts_at.astimezone(BRUSSELS).date()
    took_part = Participation.objects.filter(series_id=session.series_id, since__lte=day).filter(
        Q(until__isnull=True) | Q(until__gte=day)
    )
    wrote = InfoRoundEntry.objects.filter(session=session)
    return list(
        Operator.objects.filter(
            Q(pk__in=took_part.values("operator_id")) | Q(pk__in=wrote.values("operator_id"))
        ).order_by("name", "pk")
    )


def operator_takes_part(session: Session, operator: Operator) -> bool:
    """Whether `operator` takes part in the series on the session's day."""
    day = session.starts_at.astimezone(BRUSSELS).date()
    return (
        Participation.objects.filter(series_id=session.series_id, operator=operator, since__lte=day)
        .filter(Q(until__isnull=True) | Q(until__gte=day))
        .exists()
    )


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
    from notifications.models import Notification

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


def info_round_board(*, session: Session) -> list[BoardRow]:
    """One row per operator of the session (see session_operators) with its
    entry, status and last reminder; three queries whatever the number of operators."""
    operators = session_operators(session)
    entries = {
        e.operator_id: e
        for e in InfoRoundEntry.objects.filter(session=session).select_related("updated_by", "submitted_by")
    }
    reminded = _last_reminded(session, [op.pk for op in operators])
    return [
        BoardRow(
            operator=op,
            entry=entries.get(op.pk),
            status=info_round_entry_status(entries.get(op.pk)),
            last_reminded_at=max(
                (t for t in (reminded.get(op.pk), getattr(entries.get(op.pk), "last_reminded_at", None)) if t),
                default=None,
            ),
        )
        for op in operators
    ]


@dataclass
class CompiledEntry:
    """An operator's submitted entry with every question's answer in order;
    `entry` is None (and `answers` empty) when it has not submitted."""

    operator: Operator
    entry: InfoRoundEntry | None
    answers: list[tuple[InfoRoundQuestion, str]]

    @property
    def answered(self) -> bool:
        return self.entry is not None

    @property
    def status(self) -> str:
        return info_round_entry_status(self.entry)


def info_round_compiled(*, session: Session) -> list[CompiledEntry]:
    """Every operator of the session, by name, with its submitted entry (drafts
    stay private to their operator). Four queries whatever the number of
    operators and answers."""
    questions = info_round_questions(session)
    operators = session_operators(session)
    entries = {
        e.operator_id: e
        for e in InfoRoundEntry.objects.filter(session=session, status=InfoRoundEntry.Status.SUBMITTED)
        .select_related("submitted_by", "updated_by")
        .prefetch_related(Prefetch("answers", queryset=InfoRoundAnswer.objects.only("entry_id", "question_id", "text")))
    }
    compiled = []
    for operator in operators:
        entry = entries.get(operator.pk)
        answers = []
        if entry is not None:
            texts = {a.question_id: a.text for a in entry.answers.all()}
            answers = [(q, texts.get(q.pk, "")) for q in questions]
        compiled.append(CompiledEntry(operator=operator, entry=entry, answers=answers))
    return compiled


def info_round_entry_with_answers(session: Session, operator: Operator) -> tuple[InfoRoundEntry | None, dict[int, str]]:
    """The operator's entry for the session (or None) and its answers by question id (two queries)."""
    entry = (
        InfoRoundEntry.objects.filter(session=session, operator=operator)
        .select_related("updated_by", "submitted_by")
        .first()
    )
    if entry is None:
        return None, {}
    return entry, dict(entry.answers.values_list("question_id", "text"))


def info_round_operators_of_user(user, session: Session) -> list[Operator]:
    """The person's operators (any role) that take part in the session."""
    mine = set(user_operator_roles(user))
    if not mine:
        return []
    return [op for op in session_operators(session) if op.pk in mine]


def next_planned_session(sessions) -> Session | None:
    """The first planned session of an already ordered, already loaded list (no query)."""
    return next((s for s in sessions if s.status == Session.Status.PLANNED), None)
