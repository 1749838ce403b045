"""Writes on the agenda: the series' versioned template ("conduite de réunion")
and each session's agenda.

- Every series has a published template from its creation (v1, from the
  defaults below, in the site's language); `agenda_template_ensure` gives one
  to series made before.
- A new version is prepared as a draft copy of the current one (at most one
  draft per series), edited, then published with a change note.
- Publishing applies to the sessions to come only: planned, not started,
  whose agenda nobody changed by hand and whose info round nobody started
  (its answers belong to the questions they were written for). Their agenda
  is replaced and they point to the new version. Every other session keeps
  the agenda it had.
- Each session created gets its agenda from the current template. Changing
  one session's agenda marks it customised: later versions leave it alone.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.permissions import require_perm
from core.services import audit_record
from operators.models import Operator

from ..fragments import rows_changed, series_changed
from ..models import (
    AgendaItem,
    AgendaItemKind,
    AgendaTemplate,
    AgendaTemplateItem,
    AnswerType,
    InfoRoundEntry,
    InfoRoundQuestion,
    PresenterRole,
    Series,
    Session,
)
from ..models.capacity import MAX_OPTIONS_LENGTH
from ..selectors.sessions import host_candidates

MIN_TIMEBOX, MAX_TIMEBOX = 1, 240
MIN_ANSWER_LIMIT, MAX_ANSWER_LIMIT = 50, 2000
DEFAULT_ANSWER_LIMIT = 500

# The first "conduite de réunion" (seed 000): a brief, ritualised exchange
# structured around the operators' cooperation needs.
DEFAULT_ITEMS = (
    (gettext_noop("Opening and attendance"), AgendaItemKind.OPENING, 5, PresenterRole.COORDINATOR),
    (gettext_noop("Info round of the operators"), AgendaItemKind.INFO_ROUND, 30, PresenterRole.EACH_OPERATOR),
    (gettext_noop("Follow-up of actions"), AgendaItemKind.ACTIONS, 10, PresenterRole.COORDINATOR),
    (gettext_noop("Cooperation needs"), AgendaItemKind.NEEDS, 10, PresenterRole.CONCERNED),
    (gettext_noop("Any other business"), AgendaItemKind.OTHER_BUSINESS, 3, PresenterRole.NONE),
    (gettext_noop("Closing"), AgendaItemKind.CLOSING, 2, PresenterRole.COORDINATOR),
)
# The ritual of a clinical concertation (seed 002): 2 h 30 around two
# anonymised situations and a brief feedback on those presented before.
CLINICAL_ITEMS = (
    (gettext_noop("Welcome"), AgendaItemKind.OPENING, 10, PresenterRole.COORDINATOR),
    (gettext_noop("Feedback on earlier situations"), AgendaItemKind.CLINICAL, 20, PresenterRole.NONE),
    (gettext_noop("Situation 1"), AgendaItemKind.CLINICAL, 55, PresenterRole.NONE),
    (gettext_noop("Situation 2"), AgendaItemKind.CLINICAL, 55, PresenterRole.NONE),
    (gettext_noop("Closing"), AgendaItemKind.CLOSING, 10, PresenterRole.COORDINATOR),
)
DEFAULT_ITEMS_BY_KIND = {Series.Kind.CLINICAL: CLINICAL_ITEMS}
DEFAULT_QUESTIONS = (
    (
        InfoRoundQuestion.Kind.NEWS,
        gettext_noop("News of the service"),
        gettext_noop("What changed in your service since the last meeting: team, organisation, activity."),
    ),
    (
        InfoRoundQuestion.Kind.CAPACITY,
        gettext_noop("Capacity, availability and delays"),
        gettext_noop("Can you take new requests? Current waiting times, places available, closures to come."),
    ),
    (
        InfoRoundQuestion.Kind.DIFFICULTIES,
        gettext_noop("Difficulties met"),
        gettext_noop("What is hard at the moment, without any name or detail that could identify a person."),
    ),
    (
        InfoRoundQuestion.Kind.NEEDS,
        gettext_noop("Cooperation needs (requests to the other operators)"),
        gettext_noop("What would you need from the other operators? One need per line."),
    ),
    (
        InfoRoundQuestion.Kind.TO_SHARE,
        gettext_noop("Information to share"),
        gettext_noop("Events, trainings, new resources or contacts useful to the network."),
    ),
)


def _lock_series(series: Series) -> None:
    """One template change per series at a time."""
    Series.objects.select_for_update().filter(pk=series.pk).exists()


# --- The template and its versions ------------------------------------------


def _published(series: Series) -> AgendaTemplate | None:
    return (
        AgendaTemplate.objects.filter(series=series, status=AgendaTemplate.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def agenda_template_ensure(*, series: Series, actor=None) -> AgendaTemplate:
    """The series' current published template; when it has none yet, create
    and publish v1 from the defaults, in the site's language (French).
    Safe to call twice: the second call creates nothing."""
    _lock_series(series)
    current = _published(series)
    if current is not None:
        return current
    version = (AgendaTemplate.objects.filter(series=series).aggregate(m=Max("version"))["m"] or 0) + 1
    actor = actor if actor is not None and actor.is_authenticated else None
    with translation.override(settings.LANGUAGE_CODE):
        template = AgendaTemplate.objects.create(
            series=series,
            version=version,
            status=AgendaTemplate.Status.PUBLISHED,
            change_note=_("First version, from the default ritual."),
            created_by=actor,
            published_by=actor,
            published_at=timezone.now(),
        )
        AgendaTemplateItem.objects.bulk_create(
            AgendaTemplateItem(
                template=template, position=n, title=_(title), kind=kind, timebox=box, presenter_role=role
            )
            for n, (title, kind, box, role) in enumerate(DEFAULT_ITEMS_BY_KIND.get(series.kind, DEFAULT_ITEMS), start=1)
        )
        InfoRoundQuestion.objects.bulk_create(
            InfoRoundQuestion(
                template=template,
                position=n,
                kind=kind,
                prompt=_(prompt),
                help_text=_(help_text),
                max_length=DEFAULT_ANSWER_LIMIT,
                required=False,
            )
            for n, (kind, prompt, help_text) in enumerate(DEFAULT_QUESTIONS, start=1)
        )
    audit_record(actor=actor, action="agenda_template.create", obj=template, detail={"version": version})
    return template


@transaction.atomic
def agenda_template_prepare(*, actor, series: Series) -> AgendaTemplate:
    """A draft of the next version, copied from the current one (items and
    questions). When a draft is already being prepared, that draft."""
    require_perm(actor, "meetings.change_series", series)
    _lock_series(series)
    draft = AgendaTemplate.objects.filter(series=series, status=AgendaTemplate.Status.DRAFT).first()
    if draft is not None:
        return draft
    current = agenda_template_ensure(series=series, actor=actor)
    version = AgendaTemplate.objects.filter(series=series).aggregate(m=Max("version"))["m"] + 1
    draft = AgendaTemplate.objects.create(series=series, version=version, created_by=actor)
    AgendaTemplateItem.objects.bulk_create(
        AgendaTemplateItem(
            template=draft,
            position=i.position,
            title=i.title,
            kind=i.kind,
            timebox=i.timebox,
            presenter_role=i.presenter_role,
        )
        for i in current.items.order_by("position", "pk")
    )
    InfoRoundQuestion.objects.bulk_create(
        InfoRoundQuestion(
            template=draft,
            position=q.position,
            kind=q.kind,
            prompt=q.prompt,
            help_text=q.help_text,
            max_length=q.max_length,
            required=q.required,
            answer_type=q.answer_type,
            options=q.options,
            asks_waiting_days=q.asks_waiting_days,
            asks_places=q.asks_places,
        )
        for q in current.questions.order_by("position", "pk")
    )
    audit_record(actor=actor, action="agenda_template.prepare", obj=draft, detail={"version": version})
    return draft


def _draft_to_change(actor, template: AgendaTemplate) -> AgendaTemplate:
    require_perm(actor, "meetings.change_series", template.series)
    locked = AgendaTemplate.objects.select_for_update().select_related("series").get(pk=template.pk)
    if locked.status != AgendaTemplate.Status.DRAFT:
        raise ValidationError(_("This version is published: prepare a new version to change it."))
    return locked


def _check_item(title: str, kind: str, timebox, presenter_role: str) -> dict:
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the item a title.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    if kind not in AgendaItemKind.values or kind == AgendaItemKind.MINUTES_APPROVAL:
        errors["kind"] = _("Choose a kind of item.")
    if not isinstance(timebox, int) or not MIN_TIMEBOX <= timebox <= MAX_TIMEBOX:
        errors["timebox"] = _("A timebox lasts from %(min)d to %(max)d minutes.") % {
            "min": MIN_TIMEBOX,
            "max": MAX_TIMEBOX,
        }
    if (presenter_role or "") not in PresenterRole.values:
        errors["presenter_role"] = _("Choose who presents the item.")
    if errors:
        raise ValidationError(errors)
    return {"title": title, "kind": kind, "timebox": timebox, "presenter_role": presenter_role or ""}


def _check_question(
    prompt: str,
    help_text: str,
    kind: str,
    max_length,
    required: bool,
    answer_type: str = AnswerType.TEXT,
    options: str = "",
    asks_waiting_days: bool = False,
    asks_places: bool = False,
) -> dict:
    errors = {}
    options = "\n".join(line.strip() for line in (options or "").splitlines() if line.strip())
    if answer_type not in AnswerType.values:
        errors["answer_type"] = _("Choose a kind of answer.")
    elif answer_type == AnswerType.CHOICE and len(options.splitlines()) < 2:
        errors["options"] = _("Give at least two options, one per line.")
    if len(options) > MAX_OPTIONS_LENGTH:
        errors["options"] = _("Keep the options under %(max)d characters.") % {"max": MAX_OPTIONS_LENGTH}
    prompt = (prompt or "").strip()
    help_text = (help_text or "").strip()
    if not prompt:
        errors["prompt"] = _("Write the question.")
    elif len(prompt) > 200:
        errors["prompt"] = _("Keep the question under 200 characters.")
    if len(help_text) > 500:
        errors["help_text"] = _("Keep the help text under 500 characters.")
    if kind not in InfoRoundQuestion.Kind.values:
        errors["kind"] = _("Choose a kind of question.")
    if not isinstance(max_length, int) or not MIN_ANSWER_LIMIT <= max_length <= MAX_ANSWER_LIMIT:
        errors["max_length"] = _("The length limit lies between %(min)d and %(max)d characters.") % {
            "min": MIN_ANSWER_LIMIT,
            "max": MAX_ANSWER_LIMIT,
        }
    if errors:
        raise ValidationError(errors)
    return {
        "prompt": prompt,
        "help_text": help_text,
        "kind": kind,
        "max_length": max_length,
        "required": bool(required),
        "answer_type": answer_type,
        # What does not apply to the kind of answer is not kept.
        "options": options if answer_type == AnswerType.CHOICE else "",
        "asks_waiting_days": bool(asks_waiting_days) and answer_type == AnswerType.CAPACITY,
        "asks_places": bool(asks_places) and answer_type == AnswerType.CAPACITY,
    }


def _next_position(queryset) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


def _move(row, siblings, direction: str) -> bool:
    """Swap `row` with its neighbour above ("up") or below ("down") among
    `siblings`, renumbering them 1..n. False when it is already at that end."""
    rows = list(siblings.order_by("position", "pk"))
    index = next(n for n, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, r in enumerate(rows, start=1):
        r.position = position
    type(row).objects.bulk_update(rows, ["position"])
    rows_changed(rows)
    return True


def _renumber(siblings) -> None:
    rows = list(siblings.order_by("position", "pk"))
    for position, r in enumerate(rows, start=1):
        r.position = position
    if rows:
        type(rows[0]).objects.bulk_update(rows, ["position"])
        rows_changed(rows)


@transaction.atomic
def template_item_add(
    *, actor, template: AgendaTemplate, title: str, kind: str, timebox: int, presenter_role: str = ""
) -> AgendaTemplateItem:
    """Add an item at the end of a draft version."""
    template = _draft_to_change(actor, template)
    data = _check_item(title, kind, timebox, presenter_role)
    return AgendaTemplateItem.objects.create(template=template, position=_next_position(template.items), **data)


@transaction.atomic
def template_item_update(
    *, actor, item: AgendaTemplateItem, title: str, kind: str, timebox: int, presenter_role: str = ""
) -> AgendaTemplateItem:
    """Change an item of a draft version."""
    _draft_to_change(actor, item.template)
    for key, value in _check_item(title, kind, timebox, presenter_role).items():
        setattr(item, key, value)
    item.save(update_fields=["title", "kind", "timebox", "presenter_role"])
    return item


@transaction.atomic
def template_item_delete(*, actor, item: AgendaTemplateItem) -> None:
    """Remove an item from a draft version; a version keeps at least one item."""
    template = _draft_to_change(actor, item.template)
    if template.items.count() <= 1:
        raise ValidationError(_("An agenda keeps at least one item."))
    item.delete()
    _renumber(template.items)


@transaction.atomic
def template_item_move(*, actor, item: AgendaTemplateItem, direction: str) -> bool:
    """Move an item of a draft version one place up or down."""
    template = _draft_to_change(actor, item.template)
    return _move(item, template.items, direction)


@transaction.atomic
def template_question_add(
    *,
    actor,
    template: AgendaTemplate,
    prompt: str,
    help_text: str = "",
    kind: str = InfoRoundQuestion.Kind.OTHER,
    max_length: int = DEFAULT_ANSWER_LIMIT,
    required: bool = False,
    answer_type: str = AnswerType.TEXT,
    options: str = "",
    asks_waiting_days: bool = False,
    asks_places: bool = False,
) -> InfoRoundQuestion:
    """Add a question at the end of a draft version's info round (free text,
    a capacity signal with the figures asked, a choice among options, a number)."""
    template = _draft_to_change(actor, template)
    data = _check_question(
        prompt, help_text, kind, max_length, required, answer_type, options, asks_waiting_days, asks_places
    )
    return InfoRoundQuestion.objects.create(template=template, position=_next_position(template.questions), **data)


@transaction.atomic
def template_question_update(
    *,
    actor,
    question: InfoRoundQuestion,
    prompt: str,
    help_text: str = "",
    kind: str = InfoRoundQuestion.Kind.OTHER,
    max_length: int = DEFAULT_ANSWER_LIMIT,
    required: bool = False,
    answer_type: str = AnswerType.TEXT,
    options: str = "",
    asks_waiting_days: bool = False,
    asks_places: bool = False,
) -> InfoRoundQuestion:
    """Change a question of a draft version."""
    _draft_to_change(actor, question.template)
    data = _check_question(
        prompt, help_text, kind, max_length, required, answer_type, options, asks_waiting_days, asks_places
    )
    for key, value in data.items():
        setattr(question, key, value)
    question.save(update_fields=list(data))
    return question


@transaction.atomic
def template_question_delete(*, actor, question: InfoRoundQuestion) -> None:
    """Remove a question from a draft version; the info round keeps at least one."""
    template = _draft_to_change(actor, question.template)
    if template.questions.count() <= 1:
        raise ValidationError(_("The info round keeps at least one question."))
    question.delete()
    _renumber(template.questions)


@transaction.atomic
def template_question_move(*, actor, question: InfoRoundQuestion, direction: str) -> bool:
    """Move a question of a draft version one place up or down."""
    template = _draft_to_change(actor, question.template)
    return _move(question, template.questions, direction)


@dataclass
class PublishReport:
    template: AgendaTemplate
    # Sessions to come whose agenda and questions now come from this version.
    updated: list[Session]
    # Sessions to come that keep their agenda: changed by hand, or their info round started.
    kept: list[Session]


@transaction.atomic
def agenda_template_publish(*, actor, template: AgendaTemplate, change_note: str, now=None) -> PublishReport:
    """Publish a draft version with a note saying what changed. It becomes the
    current version and applies to the sessions to come only (see the module
    docstring); sessions already started, held or cancelled keep theirs."""
    template = _draft_to_change(actor, template)
    now = now or timezone.now()
    change_note = (change_note or "").strip()
    if not change_note:
        raise ValidationError({"change_note": _("Say what changed: the operators will read it.")})
    if len(change_note) > 500:
        raise ValidationError({"change_note": _("Keep the note under 500 characters.")})
    if not template.items.exists():
        raise ValidationError(_("An agenda keeps at least one item."))
    if not template.questions.exists():
        raise ValidationError(_("The info round keeps at least one question."))
    template.status = AgendaTemplate.Status.PUBLISHED
    template.change_note = change_note
    template.published_by = actor
    template.published_at = now
    template.save(update_fields=["status", "change_note", "published_by", "published_at"])
    to_come = list(
        Session.objects.select_for_update()
        .filter(series=template.series, status=Session.Status.PLANNED, starts_at__gt=now)
        .order_by("starts_at")
    )
    answered = set(InfoRoundEntry.objects.filter(session__in=to_come).values_list("session_id", flat=True).distinct())
    updated = [s for s in to_come if not s.agenda_customised and s.pk not in answered]
    kept = [s for s in to_come if s.agenda_customised or s.pk in answered]
    agenda_apply(sessions=updated, template=template, replace=True)
    audit_record(
        actor=actor,
        action="agenda_template.publish",
        obj=template,
        detail={"version": template.version, "sessions_updated": len(updated), "sessions_kept": len(kept)},
    )
    return PublishReport(template=template, updated=updated, kept=kept)


@transaction.atomic
def agenda_template_discard(*, actor, template: AgendaTemplate) -> None:
    """Throw a draft version away; published versions stay."""
    template = _draft_to_change(actor, template)
    pk, version = template.pk, template.version
    template.delete()
    audit_record(actor=actor, action="agenda_template.discard", obj=None, detail={"template": pk, "version": version})


# --- Each session's agenda ----------------------------------------------------


def agenda_apply(*, sessions, template: AgendaTemplate, replace: bool = False) -> None:
    """Give `sessions` the agenda of `template` and point them to it. With
    `replace`, their current items go first. A fixed number of queries."""
    sessions = [s for s in sessions if s.pk]
    if not sessions:
        return
    items = list(template.items.order_by("position", "pk"))
    if replace:
        # The approval of earlier minutes is not the template's: it stays (first, see corrections.py).
        AgendaItem.objects.filter(session__in=sessions).exclude(kind=AgendaItemKind.MINUTES_APPROVAL).delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(
            session=session,
            position=n,
            title=i.title,
            kind=i.kind,
            timebox=i.timebox,
            presenter_role=i.presenter_role,
        )
        for session in sessions
        for n, i in enumerate(items, start=1)
    )
    for session in sessions:
        session.agenda_template = template
    Session.objects.bulk_update(sessions, ["agenda_template"])
    series_changed(*{s.series_id for s in sessions})


def agenda_for_new_sessions(*, series: Series, sessions) -> None:
    """Give sessions just created the agenda of the series' current template
    (v1 from the defaults when the series has none yet)."""
    if sessions:
        agenda_apply(sessions=sessions, template=agenda_template_ensure(series=series))


def _session_to_change(actor, session: Session) -> Session:
    require_perm(actor, "meetings.change_series", session.series)
    locked = Session.objects.select_for_update().select_related("series").get(pk=session.pk)
    if locked.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled: its agenda can no longer be changed."))
    return locked


def _customise(session: Session) -> None:
    if not session.agenda_customised:
        Session.objects.filter(pk=session.pk).update(agenda_customised=True)
        series_changed(session.series_id)
        session.agenda_customised = True


def _check_presenter(session: Session, presenter_operator: Operator | None) -> None:
    if presenter_operator is not None and not host_candidates(session.series).filter(pk=presenter_operator.pk).exists():
        raise ValidationError({"presenter_operator": _("Choose an operator that takes part in this series.")})


@transaction.atomic
def agenda_item_add(
    *,
    actor,
    session: Session,
    title: str,
    kind: str,
    timebox: int,
    presenter_role: str = "",
    presenter_operator: Operator | None = None,
) -> AgendaItem:
    """Add an item at the end of one session's agenda (marks it customised)."""
    session = _session_to_change(actor, session)
    data = _check_item(title, kind, timebox, presenter_role)
    _check_presenter(session, presenter_operator)
    item = AgendaItem.objects.create(
        session=session,
        position=_next_position(session.agenda_items),
        presenter_operator=presenter_operator,
        **data,
    )
    _customise(session)
    audit_record(actor=actor, action="agenda_item.add", obj=session, detail={"item": item.pk})
    return item


@transaction.atomic
def agenda_item_update(
    *,
    actor,
    item: AgendaItem,
    title: str,
    kind: str,
    timebox: int,
    presenter_role: str = "",
    presenter_operator: Operator | None = None,
) -> AgendaItem:
    """Change an item of one session's agenda (marks it customised)."""
    session = _session_to_change(actor, item.session)
    data = _check_item(title, kind, timebox, presenter_role)
    _check_presenter(session, presenter_operator)
    for key, value in data.items():
        setattr(item, key, value)
    item.presenter_operator = presenter_operator
    item.save(update_fields=["title", "kind", "timebox", "presenter_role", "presenter_operator"])
    _customise(session)
    audit_record(actor=actor, action="agenda_item.update", obj=session, detail={"item": item.pk})
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    """Remove an item from one session's agenda (marks it customised). An item
    with notes is kept: its notes are part of the minutes."""
    session = _session_to_change(actor, item.session)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.notes.strip():
        raise ValidationError(_("This item has notes in the minutes: it cannot be removed."))
    Session.objects.filter(pk=session.pk, current_item=item).update(current_item=None)
    pk = item.pk
    item.delete()
    _renumber(session.agenda_items)
    _customise(session)
    audit_record(actor=actor, action="agenda_item.remove", obj=session, detail={"item": pk})


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: str) -> bool:
    """Move an item of one session's agenda one place up or down (marks it customised)."""
    session = _session_to_change(actor, item.session)
    moved = _move(item, session.agenda_items, direction)
    if moved:
        _customise(session)
    return moved


def agenda_template_sessions_to_come(*, template: AgendaTemplate, now=None) -> int:
    """How many sessions to come publishing `template` now would update (for the confirmation)."""
    now = now or timezone.now()
    return (
        Session.objects.filter(
            series_id=template.series_id, status=Session.Status.PLANNED, starts_at__gt=now, agenda_customised=False
        )
        .exclude(pk__in=InfoRoundEntry.objects.values("session_id"))
        .count()
    )
