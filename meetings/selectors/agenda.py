"""Reads of the agenda: templates and their versions, what a version changes, a session's agenda."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from ..models import AgendaItem, AgendaTemplate, AgendaTemplateItem, InfoRoundQuestion, Series, Session


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


def session_agenda(*, session: Session) -> list[AgendaItem]:
    """The session's agenda items in order, with their presenting operator (one query)."""
    return list(
        AgendaItem.objects.filter(session=session).select_related("presenter_operator").order_by("position", "pk")
    )


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
        items=items, total_minutes=sum(i.timebox for i in items), session_minutes=session.duration_minutes
    )
