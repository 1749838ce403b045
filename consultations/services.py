"""Writes on consultations: collecting contributions, grouping them into themes,
merging, answering, composing and publishing the synthesis.

Every service checks who acts (`require_perm`) and is atomic. The texts of
theme statements and of the synthesis carry a version: a save made from an
older version is refused (a visible conflict), never silently lost.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import formats
from core.brussels import brussels_date
from core.permissions import require_perm
from core.services import audit_record
from meetings.models import AgendaItemKind, Series, Session
from meetings.services.agenda import agenda_item_add
from meetings.services.needs import need_raise
from operators.models import Operator
from registrations.models import Answer

from .models import Collection, Contribution, ContributionQuestion, Forward, Synthesis, Theme
from .selectors import MAX_THEMES, collection_open, items_of, next_session_of

MAX_TEXT = 2000
# A pasted list: at most this many characters and this many contributions.
MAX_PASTE_CHARS = 60_000
MAX_PASTE_ITEMS = 300
# A participant's own contributions to one session.
MAX_OWN = 50
Status = Contribution.Status

# A bullet or a numbering at the start of a line: "•", "-", "*", "–", "►", "1.", "2)", "a)", "(3)".
_BULLET = re.compile(r"^\s*(?:[•●◦▪·\-–—*►▶→]+|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)](?=\s))\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")


def _clean(text: str) -> str:
    """One line of text: control characters gone, spaces collapsed."""
    return " ".join(_CONTROL.sub("", text or "").split())


def _check_text(text: str, field: str = "text") -> str:
    text = _clean(text)
    if not text:
        raise ValidationError({field: _("Write the contribution.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: _("Keep it under %(n)s characters.") % {"n": MAX_TEXT}})
    return text


def _check_kind(kind: str) -> str:
    if kind not in Contribution.Kind.values:
        raise ValidationError({"kind": _("Choose a proposal or an expectation.")})
    return kind


def _next_position(session: Session) -> int:
    return (Contribution.objects.filter(session=session).aggregate(m=Max("position"))["m"] or 0) + 1


def _require_open(session: Session) -> None:
    if not collection_open(session):
        raise ValidationError(_("The collection of contributions is closed for this session."))


# --- Collecting ---------------------------------------------------------------


@transaction.atomic
def collection_set(*, actor: User, session: Session, is_open: bool) -> Collection:
    """Open or close the collection of a session's contributions (participants' side)."""
    require_perm(actor, "consultations.manage_series", session.series)
    collection, _created = Collection.objects.update_or_create(session=session, defaults={"is_open": is_open})
    audit_record(actor=actor, action="consultation.collection", obj=session, detail={"open": is_open})
    return collection


@transaction.atomic
def contribution_submit(*, actor: User, session: Session, kind: str, text: str, organisation: str = "") -> Contribution:
    """A participant states a contribution of their own, while the collection is open."""
    require_perm(actor, "consultations.contribute", session)
    _require_open(session)
    if Contribution.objects.filter(session=session, author=actor, withdrawn_at__isnull=True).count() >= MAX_OWN:
        raise ValidationError(_("You have reached the number of contributions allowed for a session."))
    contribution = Contribution.objects.create(
        session=session,
        kind=_check_kind(kind),
        author=actor,
        recorded_by=actor,
        text=_check_text(text),
        organisation=_clean(organisation)[:200],
        position=_next_position(session),
    )
    audit_record(actor=actor, action="contribution.submit", obj=contribution)
    return contribution


def _lock_own(actor: User, contribution: Contribution) -> Contribution:
    require_perm(actor, "consultations.change_contribution", contribution)
    contribution = Contribution.objects.select_for_update().select_related("session").get(pk=contribution.pk)
    _require_open(contribution.session)
    if contribution.withdrawn_at is not None or contribution.merged_into_id or contribution.sources.exists():
        raise ValidationError(_("This contribution can no longer be changed."))
    return contribution


@transaction.atomic
def contribution_edit(*, actor: User, contribution: Contribution, kind: str, text: str) -> Contribution:
    """Its author changes a contribution while the collection is open and before it is grouped or merged."""
    contribution = _lock_own(actor, contribution)
    contribution.kind = _check_kind(kind)
    contribution.text = _check_text(text)
    contribution.save(update_fields=["kind", "text", "updated_at"])
    audit_record(actor=actor, action="contribution.edit", obj=contribution)
    return contribution


@transaction.atomic
def contribution_withdraw(*, actor: User, contribution: Contribution, now: datetime.datetime | None = None) -> None:
    """Its author withdraws a contribution while the collection is open: it leaves every list."""
    contribution = _lock_own(actor, contribution)
    contribution.withdrawn_at = now or timezone.now()
    contribution.save(update_fields=["withdrawn_at", "updated_at"])
    audit_record(actor=actor, action="contribution.withdraw", obj=contribution)


@transaction.atomic
def contribution_record(*, actor: User, session: Session, kind: str, text: str, organisation: str = "") -> Contribution:
    """The coordinators record a contribution said orally ("recorded by the coordinators")."""
    require_perm(actor, "consultations.manage_series", session.series)
    contribution = Contribution.objects.create(
        session=session,
        kind=_check_kind(kind),
        recorded_by=actor,
        text=_check_text(text),
        organisation=_clean(organisation)[:200],
        position=_next_position(session),
    )
    audit_record(actor=actor, action="contribution.record", obj=contribution)
    return contribution


def contributions_paste_parse(*, text: str) -> list[str]:
    """The contributions of a pasted list, in order: one per bullet or numbered line
    (a line without a bullet right under one continues it, as a PDF's wrapped lines do;
    a blank line ends it), or one per line when no line has a bullet; bullets and
    numbering stripped.

    Refuses (ValidationError) a paste over MAX_PASTE_CHARS, over MAX_PASTE_ITEMS
    contributions, or with a contribution over MAX_TEXT characters."""
    text = text or ""
    if len(text) > MAX_PASTE_CHARS:
        raise ValidationError({"text": _("Paste at most %(n)s characters at once.") % {"n": MAX_PASTE_CHARS}})
    lines = [_CONTROL.sub("", line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    bulleted = any(_BULLET.match(line) and _BULLET.sub("", line).strip() for line in lines)
    items: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                items.append(" ".join(current))
                current = []
            continue
        starts = bool(_BULLET.match(line)) if bulleted else True
        if starts and current:
            items.append(" ".join(current))
            current = []
        stripped = _clean(_BULLET.sub("", line, count=1) if starts else line)
        if stripped:
            current.append(stripped)
    if current:
        items.append(" ".join(current))
    items = [_clean(item) for item in items if _clean(item)]
    if len(items) > MAX_PASTE_ITEMS:
        raise ValidationError({"text": _("Paste at most %(n)s contributions at once.") % {"n": MAX_PASTE_ITEMS}})
    for number, item in enumerate(items, start=1):
        if len(item) > MAX_TEXT:
            raise ValidationError(
                {"text": _("Contribution %(number)s is over %(n)s characters.") % {"number": number, "n": MAX_TEXT}}
            )
    return items


@transaction.atomic
def contributions_paste_save(*, actor: User, session: Session, text: str, kind: str) -> list[Contribution]:
    """Record every contribution of a pasted list (as `contributions_paste_parse` reads it),
    in order, as recorded by the coordinators."""
    require_perm(actor, "consultations.manage_series", session.series)
    texts = contributions_paste_parse(text=text)
    if not texts:
        raise ValidationError({"text": _("The list is empty.")})
    kind = _check_kind(kind)
    start = _next_position(session)
    saved = Contribution.objects.bulk_create(
        Contribution(session=session, kind=kind, recorded_by=actor, text=item, position=start + i)
        for i, item in enumerate(texts)
    )
    audit_record(actor=actor, action="contribution.paste", obj=session, detail={"count": len(saved)})
    return saved


def _session_for_answer(answer: Answer) -> Session | None:
    registration = answer.registration
    if registration.session_id:
        return registration.session
    upcoming = Session.objects.filter(series_id=registration.series_id, status=Session.Status.PLANNED)
    return upcoming.filter(ends_at__gte=timezone.now()).order_by("starts_at").first()


@transaction.atomic
def contribution_from_answer(*, answer: Answer) -> Contribution | None:
    """A registration's answer to its series' contribution question becomes a contribution
    of its author to the session registered for (or the series' next one); once per answer."""
    flag = ContributionQuestion.objects.filter(question_id=answer.question_id).first()
    text = _clean(answer.text)
    if flag is None or not text or Contribution.objects.filter(source_answer=answer).exists():
        return None
    session = _session_for_answer(answer)
    if session is None:
        return None
    registration = answer.registration
    return Contribution.objects.create(
        session=session,
        kind=flag.kind if flag.kind in Contribution.Kind.values else Contribution.Kind.EXPECTATION,
        author_id=registration.user_id,
        recorded_by_id=registration.user_id,
        text=text[:MAX_TEXT],
        organisation=registration.organisation_name[:200],
        source_answer=answer,
        position=_next_position(session),
    )


@transaction.atomic
def contribution_question_set(*, actor: User, question, kind: str = Contribution.Kind.EXPECTATION) -> None:
    """Make `question` (a registrations.Question of the series) the one whose answers become contributions."""
    require_perm(actor, "consultations.manage_series", question.series)
    ContributionQuestion.objects.filter(question__series_id=question.series_id).exclude(question=question).delete()
    ContributionQuestion.objects.update_or_create(question=question, defaults={"kind": _check_kind(kind)})


# --- Grouping -----------------------------------------------------------------


@transaction.atomic
def theme_create(*, actor: User, session: Session, name: str) -> Theme:
    """A new theme, last of the session's."""
    require_perm(actor, "consultations.manage_series", session.series)
    name = _clean(name)[:200]
    if not name:
        raise ValidationError({"name": _("Name the theme.")})
    themes = Theme.objects.filter(session=session)
    if themes.count() >= MAX_THEMES:
        raise ValidationError({"name": _("A session has at most %(n)s themes.") % {"n": MAX_THEMES}})
    if themes.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("This theme already exists.")})
    position = (themes.aggregate(m=Max("position"))["m"] or 0) + 1
    theme = Theme.objects.create(session=session, name=name, position=position)
    audit_record(actor=actor, action="theme.create", obj=theme)
    return theme


@transaction.atomic
def theme_update(*, actor: User, theme: Theme, name: str, statement: str, version: int) -> Theme:
    """Rename a theme and write its statement ("► Attentes"). Refused with a conflict when
    someone saved it since `version` was read."""
    require_perm(actor, "consultations.manage_series", theme.session.series)
    name = _clean(name)[:200]
    if not name:
        raise ValidationError({"name": _("Name the theme.")})
    statement = (statement or "").strip()
    if len(statement) > 3000:
        raise ValidationError({"statement": _("Keep it under %(n)s characters.") % {"n": 3000}})
    if Theme.objects.filter(session_id=theme.session_id, name__iexact=name).exclude(pk=theme.pk).exists():
        raise ValidationError({"name": _("This theme already exists.")})
    changed = Theme.objects.filter(pk=theme.pk, version=version).update(
        name=name, statement=_CONTROL.sub("", statement), version=F("version") + 1
    )
    if not changed:
        raise ValidationError(
            _("Someone else saved this theme meanwhile. Their version is shown; copy your text and try again."),
            code="conflict",
        )
    theme.refresh_from_db()
    audit_record(actor=actor, action="theme.update", obj=theme)
    return theme


def _swap(rows: list, index: int, direction: str) -> list:
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    return rows


@transaction.atomic
def theme_move(*, actor: User, theme: Theme, direction: str) -> None:
    """Move a theme one place up or down."""
    require_perm(actor, "consultations.manage_series", theme.session.series)
    themes = list(Theme.objects.select_for_update().filter(session_id=theme.session_id).order_by("position", "pk"))
    ids = [t.pk for t in themes]
    ordered = _swap(themes, ids.index(theme.pk), direction)
    for position, row in enumerate(ordered, start=1):
        if row.position != position:
            Theme.objects.filter(pk=row.pk).update(position=position)


@transaction.atomic
def theme_delete(*, actor: User, theme: Theme) -> None:
    """Delete a theme; its items go back to the unsorted ones."""
    require_perm(actor, "consultations.manage_series", theme.session.series)
    audit_record(actor=actor, action="theme.delete", obj=theme)
    theme.delete()


@transaction.atomic
def item_move(*, actor: User, item: Contribution, theme: Theme | None = None, direction: str = "") -> Contribution:
    """Put an item under a theme (last of it; `theme` None: unsorted), or move it one place
    up or down within its theme (`direction`)."""
    require_perm(actor, "consultations.manage_series", item.session.series)
    if theme is not None and theme.session_id != item.session_id:
        raise ValidationError({"theme": _("Choose one of this session's themes.")})
    if direction in ("up", "down"):
        siblings = list(
            items_of(item.session).select_for_update().filter(theme_id=item.theme_id).order_by("position", "pk")
        )
        ids = [s.pk for s in siblings]
        other = ids.index(item.pk) + (-1 if direction == "up" else 1)
        if 0 <= other < len(siblings):
            neighbour = siblings[other]
            mine, theirs = item.position, neighbour.position
            if mine == theirs:
                theirs = mine + (1 if direction == "down" else -1)
            Contribution.objects.filter(pk=item.pk).update(position=theirs)
            Contribution.objects.filter(pk=neighbour.pk).update(position=mine)
        item.refresh_from_db()
        return item
    item.theme = theme
    item.position = _next_position(item.session)
    item.save(update_fields=["theme", "position", "updated_at"])
    return item


@transaction.atomic
def items_merge(*, actor: User, items: list[Contribution], text: str = "") -> Contribution:
    """Merge duplicates into one new item that keeps them as its sources (their texts stay
    visible under it). It takes the first one's theme and kind, and `text` (the first one's
    text when empty)."""
    if len(items) < 2:
        raise ValidationError(_("Choose at least two items to merge."))
    session = items[0].session
    require_perm(actor, "consultations.manage_series", session.series)
    locked = list(items_of(session).select_for_update().filter(pk__in=[i.pk for i in items]).order_by("position", "pk"))
    if len(locked) != len({i.pk for i in items}):
        raise ValidationError(_("Only items of this session can be merged."))
    first = locked[0]
    merged = Contribution.objects.create(
        session=session,
        kind=first.kind,
        recorded_by=actor,
        text=_check_text(text) if _clean(text) else first.text,
        theme_id=first.theme_id,
        position=first.position,
    )
    Contribution.objects.filter(pk__in=[i.pk for i in locked]).update(merged_into=merged)
    # Sources that were themselves merged items now point to the new one.
    Contribution.objects.filter(merged_into__in=[i.pk for i in locked]).update(merged_into=merged)
    audit_record(actor=actor, action="contribution.merge", obj=merged, detail={"sources": len(locked)})
    return merged


@transaction.atomic
def item_answer(
    *, actor: User, item: Contribution, status: str, reason: str = "", now: datetime.datetime | None = None
) -> Contribution:
    """Answer an item: its status (a reason is required when not retained), when and by whom."""
    require_perm(actor, "consultations.manage_series", item.session.series)
    if status not in Status.values:
        raise ValidationError({"status": _("Choose an answer.")})
    reason = (reason or "").strip()
    if status == Status.NOT_RETAINED and not reason:
        raise ValidationError({"reason": _("Say why it is not retained.")})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": _("Keep it under %(n)s characters.") % {"n": MAX_TEXT}})
    item.status = status
    item.reason = _CONTROL.sub("", reason)
    item.answered_at = None if status == Status.TO_EXAMINE else (now or timezone.now())
    item.answered_by = None if status == Status.TO_EXAMINE else actor
    item.save(update_fields=["status", "reason", "answered_at", "answered_by", "updated_at"])
    audit_record(actor=actor, action="contribution.answer", obj=item, detail={"status": status})
    return item


# --- The synthesis ------------------------------------------------------------

SYNTHESIS_FIELDS = ("context", "thanks", "next_starts_at", "next_ends_at", "next_place", "next_details")


@transaction.atomic
def synthesis_update(*, actor: User, session: Session, version: int, **fields) -> Synthesis:
    """Save the synthesis' texts and its next-session block. Refused with a conflict when
    someone saved it since `version` was read."""
    require_perm(actor, "consultations.manage_series", session.series)
    unknown = set(fields) - set(SYNTHESIS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    starts, ends = fields.get("next_starts_at"), fields.get("next_ends_at")
    if ends and (not starts or ends <= starts):
        raise ValidationError({"next_ends_at": _("The next session ends after it starts.")})
    synthesis, _created = Synthesis.objects.select_for_update().get_or_create(session=session)
    if synthesis.version != version:
        raise ValidationError(
            _("Someone else saved this synthesis meanwhile. Their version is shown; copy your text and try again."),
            code="conflict",
        )
    for name, value in fields.items():
        setattr(synthesis, name, _CONTROL.sub("", value).strip() if isinstance(value, str) else value)
    synthesis.version += 1
    synthesis.updated_by = actor
    synthesis.full_clean(exclude=["session"])
    synthesis.save()
    audit_record(actor=actor, action="synthesis.update", obj=synthesis)
    return synthesis


@transaction.atomic
def synthesis_publish(*, actor: User, session: Session, now: datetime.datetime | None = None) -> Synthesis:
    """Publish the synthesis: its page opens to the participants (and the public when the
    series is public); each participant is emailed the link once (notifications)."""
    require_perm(actor, "consultations.manage_series", session.series)
    synthesis, _created = Synthesis.objects.select_for_update().get_or_create(session=session)
    synthesis.published_at = now or timezone.now()
    synthesis.published_by = actor
    synthesis.save(update_fields=["published_at", "published_by", "updated_at"])
    audit_record(actor=actor, action="synthesis.publish", obj=synthesis)
    return synthesis


# --- Relaunching and following up ---------------------------------------------------


def _forward_title(item: Contribution) -> str:
    title = _("From “%(series)s”: %(text)s") % {"series": item.session.series.name, "text": item.text}
    return title if len(title) <= 200 else title[:199] + "…"


@transaction.atomic
def item_forward(
    *,
    actor: User,
    item: Contribution,
    series: Series,
    kind: str = Forward.As.AGENDA,
    operator: Operator | None = None,
    now: datetime.datetime | None = None,
) -> Forward:
    """Relaunch an item in another series the actor coordinates: a proposed item at the end of
    the agenda of its next session, or a cooperation need raised there in the name of
    `operator` (one of its participating operators), naming where it comes from; the item
    keeps where it went."""
    require_perm(actor, "consultations.manage_series", item.session.series)
    require_perm(actor, "meetings.change_series", series)
    if series.pk == item.session.series_id:
        raise ValidationError({"series": _("Choose another series.")})
    if kind not in Forward.As.values:
        raise ValidationError({"kind": _("Choose how to relaunch it.")})
    forward = Forward(item=item, series=series, kind=kind, forwarded_by=actor)
    if kind == Forward.As.NEED:
        if operator is None:
            raise ValidationError({"operator": _("Choose the operator that raises the need.")})
        source = item.session
        description = _("%(text)s\n\nRelaunched from the session of %(date)s of “%(series)s”.") % {
            "text": item.text,
            "date": formats.day(brussels_date(source.starts_at)),
            "series": source.series.name,
        }
        forward.need = need_raise(
            actor=actor, series=series, operator=operator, title=_forward_title(item), description=description
        )
    else:
        target = next_session_of(series, now or timezone.now())
        if target is None:
            raise ValidationError({"series": _("This series has no session to come.")})
        forward.session = target
        forward.agenda_item = agenda_item_add(
            actor=actor, session=target, title=_forward_title(item), kind=AgendaItemKind.OTHER, timebox=10
        )
    forward.save()
    audit_record(actor=actor, action="contribution.forward", obj=item, detail={"series": series.pk, "as": kind})
    return forward


@transaction.atomic
def follow_up_add(*, actor: User, session: Session):
    """Put "follow-up of the previous session's expectations" on the session's agenda."""
    require_perm(actor, "consultations.manage_series", session.series)
    return agenda_item_add(
        actor=actor,
        session=session,
        title=_("Follow-up of the previous session's expectations"),
        kind=AgendaItemKind.OTHER,
        timebox=15,
    )
