"""Cooperation needs: raise, mention, endorse ("nous aussi"), confirm, close, reopen.

The stage machine, in one place (`need_refresh_stage` for the automatic
moves, `_stage_move` records every move):

    emerging ──► stabilised ──► converging ──► taken up
        (automatic moves go forward only, possibly several steps at once)
    any stage ──► closed | dropped          (coordinators only)
    closed | dropped ──► the stage its evidence gives   (reopen, coordinators)

A need's automatic stage is the highest one its evidence supports:
- stabilised: mentioned in at least two distinct sessions, or confirmed by a
  coordinator (`need_confirm`; the confirmation is kept as a stage change
  with the reason REASON_CONFIRMED);
- converging: shared by at least two operators, the raiser plus at least one
  endorsement by another operator;
- taken up: linked to a decision or an action.

Every change of stage is a NeedStageChange (from, to, when, by whom, in which
session, why) and updates `stage_changed_at`. Each function is atomic: when
it raises (ValidationError with field-keyed messages, PermissionDenied for
the wrong actor), nothing it touched is saved.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import user_operator_roles
from core.permissions import require_perm
from operators.models import Operator

from ..fragments import series_changed
from ..models import (
    CooperationNeed,
    InfoRoundAnswer,
    NeedEndorsement,
    NeedMention,
    NeedStage,
    NeedStageChange,
    Participation,
    Series,
    Session,
    Theme,
)

TITLE_MAX, DESCRIPTION_MAX, COMMENT_MAX, NOTE_MAX, REASON_MAX, THEME_MAX = 200, 2000, 500, 500, 300, 80
MAX_THEMES = 10

# Reasons of the automatic and manual moves, stored as codes and shown translated
# (see `stage_reason_label`); a coordinator's own reason is stored as typed.
REASON_RAISED = "auto:raised"
REASON_MENTIONS = "auto:mentions"
REASON_CONFIRMED = "auto:confirmed"
REASON_ENDORSED = "auto:endorsed"
REASON_LINKED = "auto:linked"
REASON_REOPENED = "auto:reopened"
REASON_LABELS = {
    REASON_RAISED: gettext_lazy("Raised"),
    REASON_MENTIONS: gettext_lazy("Mentioned in at least two sessions"),
    REASON_CONFIRMED: gettext_lazy("Confirmed by a coordinator"),
    REASON_ENDORSED: gettext_lazy("Shared by at least two operators"),
    REASON_LINKED: gettext_lazy("Linked to a decision or an action"),
    REASON_REOPENED: gettext_lazy("Reopened"),
}

# The forward order of the automatic stages; closed and dropped are outside it.
_RANK = {NeedStage.EMERGING: 0, NeedStage.STABILISED: 1, NeedStage.CONVERGING: 2, NeedStage.TAKEN_UP: 3}
FINAL_STAGES = (NeedStage.CLOSED, NeedStage.DROPPED)


def stage_reason_label(reason: str) -> str:
    """The reason of a stage change as people read it."""
    return str(REASON_LABELS.get(reason, reason))


def _is_coordinator(actor, series: Series) -> bool:
    return actor is not None and actor.is_authenticated and actor.has_perm("meetings.change_series", series)


def _participating_ids(series: Series) -> set[int]:
    return set(Participation.objects.filter(series=series, until__isnull=True).values_list("operator_id", flat=True))


def _is_member(actor, operator: Operator) -> bool:
    return actor is not None and actor.is_authenticated and operator.pk in user_operator_roles(actor)


def _lock(need: CooperationNeed) -> CooperationNeed:
    """Reload the need under a row lock, so that two moves never interleave."""
    fresh = CooperationNeed.objects.select_for_update().get(pk=need.pk)
    need.stage, need.stage_changed_at = fresh.stage, fresh.stage_changed_at
    return need


def _stage_move(
    *, need: CooperationNeed, to: str, actor=None, session=None, reason: str = "", first: bool = False
) -> NeedStageChange:
    """Move `need` to `to` and keep the change as evidence (the only writer of `stage`).

    `first` records the need's birth: a change from no stage at all."""
    now = timezone.now()
    change = NeedStageChange.objects.create(
        need=need,
        from_stage="" if first else need.stage,
        to_stage=to,
        at=now,
        by=actor if actor is not None and actor.is_authenticated else None,
        session=session,
        reason=reason[:REASON_MAX],
    )
    need.stage, need.stage_changed_at = to, now
    CooperationNeed.objects.filter(pk=need.pk).update(stage=to, stage_changed_at=now, updated_at=now)
    series_changed(need.series_id)
    return change


def need_evidence_stage(need: CooperationNeed) -> tuple[str, str]:
    """The highest automatic stage the need's evidence supports, and why."""
    if need.decisions.exists() or need.actions.exists():
        return NeedStage.TAKEN_UP, REASON_LINKED
    endorsing = set(need.endorsements.exclude(operator_id=need.raised_by_id).values_list("operator_id", flat=True))
    if endorsing:
        return NeedStage.CONVERGING, REASON_ENDORSED
    if need.mentions.values("session_id").distinct().count() >= 2:
        return NeedStage.STABILISED, REASON_MENTIONS
    if need.stage_changes.filter(reason=REASON_CONFIRMED).exists():
        return NeedStage.STABILISED, REASON_CONFIRMED
    return NeedStage.EMERGING, REASON_RAISED


@transaction.atomic
def need_refresh_stage(*, need: CooperationNeed, actor=None, session: Session | None = None) -> CooperationNeed:
    """Bring the need's stage up to what its evidence supports.

    Guarantees: moves forward only (never back, never out of closed or
    dropped); records one NeedStageChange per move, by `actor` and in
    `session` when given; running it twice changes nothing the second time.
    """
    _lock(need)
    if need.stage in FINAL_STAGES:
        return need
    target, reason = need_evidence_stage(need)
    if _RANK[target] > _RANK[NeedStage(need.stage)]:
        _stage_move(need=need, to=target, actor=actor, session=session, reason=reason)
    return need


def clean_text(value, field: str, max_length: int, *, required: bool) -> str:
    """`value` stripped; a field-keyed ValidationError when it is not text, empty (if required) or too long."""
    if value is not None and not isinstance(value, str):
        raise ValidationError({field: _("Enter a text.")})
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError(
            {field: _("At most %(max)d characters (you wrote %(count)d).") % {"max": max_length, "count": len(text)}}
        )
    return text


def _themes(values) -> list[Theme]:
    """Themes given as Theme objects or as names (created when new)."""
    themes, seen = [], set()
    for value in values or ():
        if isinstance(value, Theme):
            theme = value
        else:
            name = " ".join(str(value).split())
            if not name:
                continue
            if len(name) > THEME_MAX:
                raise ValidationError({"themes": _("A theme has at most %(max)d characters.") % {"max": THEME_MAX}})
            slug = slugify(name)[:THEME_MAX]
            if not slug:
                raise ValidationError({"themes": _("A theme needs at least one letter or digit.")})
            theme = Theme.objects.filter(Q(name__iexact=name) | Q(slug=slug)).first()
            if theme is None:
                theme = Theme.objects.create(name=name, slug=slug)
        if theme.pk not in seen:
            seen.add(theme.pk)
            themes.append(theme)
    if len(themes) > MAX_THEMES:
        raise ValidationError({"themes": _("At most %(max)d themes.") % {"max": MAX_THEMES}})
    return themes


def _check_session(session, series: Series, field: str = "session") -> None:
    if session is not None and session.series_id != series.pk:
        raise ValidationError({field: _("This session is not a session of this series.")})


def _check_answer(answer, series: Series, operator: Operator | None = None) -> None:
    if answer is None:
        return
    answer = InfoRoundAnswer.objects.select_related("entry__session").get(pk=answer.pk)
    if answer.entry.session.series_id != series.pk or (
        operator is not None and answer.entry.operator_id != operator.pk
    ):
        raise ValidationError({"source_answer": _("This answer does not belong to this series.")})


@transaction.atomic
def need_raise(
    *,
    actor,
    series: Series,
    operator: Operator,
    title: str,
    description: str = "",
    themes=(),
    operators_concerned=(),
    session: Session | None = None,
    source_answer: InfoRoundAnswer | None = None,
) -> CooperationNeed:
    """Raise a cooperation need of `operator` in `series`; it starts emerging.

    Guarantees: the actor is a member of `operator` or a coordinator of the
    series; `operator` and the operators concerned take part in the series
    now; a title of 1 to 200 characters and a description of at most 2000
    (both stripped); themes given by name are created when new; the session
    and the info-round answer belong to the series (the answer to that
    operator). Records a mention for the session when given and a first
    stage change "" → emerging.
    """
    if not (_is_coordinator(actor, series) or _is_member(actor, operator)):
        raise PermissionDenied
    participating = _participating_ids(series)
    if operator.pk not in participating:
        raise ValidationError({"operator": _("This operator does not take part in this series.")})
    title = clean_text(title, "title", TITLE_MAX, required=True)
    description = clean_text(description, "description", DESCRIPTION_MAX, required=False)
    concerned = list(operators_concerned or ())
    if any(op.pk not in participating for op in concerned):
        raise ValidationError({"operators_concerned": _("Choose operators that take part in this series.")})
    _check_session(session, series)
    _check_answer(source_answer, series, operator)
    theme_objects = _themes(themes)
    need = CooperationNeed(
        series=series,
        title=title,
        description=description,
        raised_by=operator,
        source_session=session,
        source_answer=source_answer,
        stage=NeedStage.EMERGING,
        stage_changed_at=timezone.now(),
        created_by=actor,
    )
    need.save()
    need.themes.set(theme_objects)
    need.operators_concerned.set(concerned)
    _stage_move(need=need, to=NeedStage.EMERGING, actor=actor, session=session, reason=REASON_RAISED, first=True)
    if session is not None:
        NeedMention.objects.create(need=need, session=session, source_answer=source_answer, created_by=actor)
    return need


@transaction.atomic
def need_mention(
    *, actor, need: CooperationNeed, session: Session, note: str = "", source_answer: InfoRoundAnswer | None = None
) -> NeedMention:
    """Record that `session` spoke of the need (once per session) and move
    its stage forward if this is the evidence it lacked.

    Guarantees: the actor coordinates the series or takes part in it; the
    session (and the answer) belong to the need's series; a second mention
    in the same session returns the first one unchanged.
    """
    series = need.series
    if not (_is_coordinator(actor, series) or actor.has_perm("meetings.take_part", series)):
        raise PermissionDenied
    _check_session(session, series)
    _check_answer(source_answer, series)
    note = clean_text(note, "note", NOTE_MAX, required=False)
    mention, _created = NeedMention.objects.get_or_create(
        need=need, session=session, defaults={"note": note, "source_answer": source_answer, "created_by": actor}
    )
    need_refresh_stage(need=need, actor=actor, session=session)
    return mention


@transaction.atomic
def need_endorse(*, actor, need: CooperationNeed, operator: Operator, comment: str = "") -> NeedEndorsement:
    """ "Nous aussi": `operator` shares the need; the need converges.

    Guarantees: the actor is a member of `operator`, which takes part in the
    series and is not the one that raised the need; once per operator; not
    on a closed or dropped need; a comment of at most 500 characters.
    """
    if not _is_member(actor, operator):
        raise PermissionDenied
    _lock(need)
    if operator.pk not in _participating_ids(need.series):
        raise ValidationError({"operator": _("This operator does not take part in this series.")})
    if operator.pk == need.raised_by_id:
        raise ValidationError({"operator": _("This operator raised the need: it cannot endorse it.")})
    if need.stage in FINAL_STAGES:
        raise ValidationError(_("This need is closed: it cannot be endorsed any more."))
    comment = clean_text(comment, "comment", COMMENT_MAX, required=False)
    if NeedEndorsement.objects.filter(need=need, operator=operator).exists():
        raise ValidationError({"operator": _("This operator already shares this need.")})
    endorsement = NeedEndorsement.objects.create(need=need, operator=operator, endorsed_by=actor, comment=comment)
    need_refresh_stage(need=need, actor=actor)
    return endorsement


@transaction.atomic
def need_confirm(*, actor, need: CooperationNeed, session: Session | None = None) -> CooperationNeed:
    """A coordinator confirms an emerging need: it is stabilised (and further if its evidence says so).

    Guarantees: coordinators of the series only; only an emerging need; the
    session, when given, belongs to the series and is kept on the change.
    """
    require_perm(actor, "meetings.change_series", need.series)
    _check_session(session, need.series)
    _lock(need)
    if need.stage != NeedStage.EMERGING:
        raise ValidationError(_("Only an emerging need can be confirmed."))
    _stage_move(need=need, to=NeedStage.STABILISED, actor=actor, session=session, reason=REASON_CONFIRMED)
    return need_refresh_stage(need=need, actor=actor, session=session)


@transaction.atomic
def need_close(*, actor, need: CooperationNeed, stage: str, reason: str = "") -> CooperationNeed:
    """A coordinator closes the need (`stage` "closed") or drops it ("dropped").

    Guarantees: coordinators of the series only; not twice; a reason of at
    most 300 characters, kept on the change.
    """
    require_perm(actor, "meetings.change_series", need.series)
    if stage not in FINAL_STAGES:
        raise ValidationError({"stage": _("Choose closed or dropped.")})
    reason = clean_text(reason, "reason", REASON_MAX, required=False)
    _lock(need)
    if need.stage in FINAL_STAGES:
        raise ValidationError(_("This need is already closed."))
    _stage_move(need=need, to=stage, actor=actor, reason=reason)
    return need


@transaction.atomic
def need_reopen(*, actor, need: CooperationNeed) -> CooperationNeed:
    """A coordinator reopens a closed or dropped need: it goes back to the stage its evidence supports.

    Guarantees: coordinators of the series only; only a closed or dropped need.
    """
    require_perm(actor, "meetings.change_series", need.series)
    _lock(need)
    if need.stage not in FINAL_STAGES:
        raise ValidationError(_("Only a closed or dropped need can be reopened."))
    target, _reason = need_evidence_stage(need)
    _stage_move(need=need, to=target, actor=actor, reason=REASON_REOPENED)
    return need
