"""Writes on the info round ("tour de table"): one entry per operator and session.

The rules, in one place:
- Any member of the operator (any role) fills its entry; nobody else does.
- It opens `series.info_round_open_days` before the session and can be
  changed until the session starts; never after, never for a cancelled one.
- It is saved as a draft (answers may be incomplete) or submitted (required
  answers filled, unless "nothing new this week"). An entry stays submitted
  once submitted; its first submission decides whether it is late (after
  the deadline, `series.info_round_deadline_hours` before the start).
- Every answer stays within its question's length limit; a structured one
  (models/capacity.py) is one of its levels or options, or a number within
  bounds, and carries only the figures its question asks for.
- Optimistic locking: a save names the version it was made on; a save made
  on an older version raises InfoRoundConflict and changes nothing.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import user_operator_roles
from core.brussels import brussels_datetime_label
from core.services import audit_record
from operators.models import Operator

from ..fragments import series_changed
from ..models import AnswerType, CapacityStatus, InfoRoundAnswer, InfoRoundEntry, InfoRoundQuestion, Session
from ..models.capacity import MAX_NUMBER, MAX_PLACES, MAX_WAITING_DAYS
from ..selectors.access import operator_takes_part
from ..selectors.inforound import InfoRoundPhase, info_round_phase, info_round_questions, info_round_window


class InfoRoundConflict(Exception):
    """Someone saved the entry since the form was opened: nothing was saved."""

    def __init__(self, entry: InfoRoundEntry, answers: dict[int, str]):
        super().__init__("info round entry changed meanwhile")
        self.entry = entry
        self.answers = answers


def answer_field(question_id: int) -> str:
    """The name of a question's field in forms and errors."""
    return f"q_{question_id}"


def normalise_answer(text: str) -> str:
    """Line breaks as one character (browsers send \\r\\n), no surrounding blanks."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


# Every column of an answer, empty: a saved answer sets them all, so a question
# whose kind changed keeps nothing of another kind.
EMPTY_ANSWER = {"text": "", "capacity": "", "waiting_days": None, "places": None, "number": None}


def _bounded(value, maximum: int, minimum: int = 0) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise ValidationError(_("Give a whole number from %(min)d to %(max)d.") % {"min": minimum, "max": maximum})
    return value


def _answer_values(question: InfoRoundQuestion, value) -> dict:
    """The columns of the answer `value` to `question` (ValidationError with a clear message).

    A free text or a choice is a string; a capacity signal a dict with
    "capacity" and the figures its question asks for; a number an int.
    """
    kind = question.answer_type
    if kind == AnswerType.CAPACITY:
        value = value if isinstance(value, dict) else {}
        level = value.get("capacity") or ""
        if level not in CapacityStatus.values and level != "":
            raise ValidationError(_("Choose available, under strain or saturated."))
        return EMPTY_ANSWER | {
            "capacity": level,
            "waiting_days": _bounded(value.get("waiting_days"), MAX_WAITING_DAYS)
            if question.asks_waiting_days
            else None,
            "places": _bounded(value.get("places"), MAX_PLACES) if question.asks_places else None,
        }
    if kind == AnswerType.NUMBER:
        return EMPTY_ANSWER | {"number": _bounded(value, MAX_NUMBER, -MAX_NUMBER)}
    text = normalise_answer(value if isinstance(value, str) else "")
    if kind == AnswerType.CHOICE:
        if text and text not in question.option_list:
            raise ValidationError(_("Choose one of the options."))
    elif len(text) > question.max_length:
        raise ValidationError(
            _("Keep this answer under %(max)d characters: it has %(count)d. Brevity is the point.")
            % {"max": question.max_length, "count": len(text)}
        )
    return EMPTY_ANSWER | {"text": text}


def info_round_may_fill(user, operator: Operator) -> bool:
    """Any member of the operator, whatever their role."""
    return operator.pk in user_operator_roles(user)


def info_round_check_open(session: Session, now: datetime.datetime) -> None:
    """ValidationError with a clear message when the entry cannot be changed now."""
    phase = info_round_phase(session, now)
    if phase == InfoRoundPhase.CANCELLED:
        raise ValidationError(_("This session is cancelled: there is no info round to fill."))
    if phase == InfoRoundPhase.CLOSED:
        raise ValidationError(_("The session has started: the info round can no longer be changed."))
    if phase == InfoRoundPhase.NOT_OPEN:
        opens_at, _deadline = info_round_window(session)
        raise ValidationError(_("The info round opens on %(date)s.") % {"date": brussels_datetime_label(opens_at)})


@transaction.atomic
def info_round_entry_save(
    *,
    actor,
    session: Session,
    operator: Operator,
    answers: dict[int, str],
    version: int,
    submit: bool = False,
    nothing_new: bool = False,
    now: datetime.datetime | None = None,
) -> InfoRoundEntry:
    """Save the operator's entry for the session, as a draft or submitted.

    `answers` maps question ids of the session's info round to their values
    (texts; see _answer_values for the structured ones; other ids are
    ignored); `version` is the entry's version the form was made on (0 for a
    new entry). `nothing_new` submits at once, answers may be empty.
    Guarantees: nothing is saved unless every rule of the module docstring
    holds (ValidationError keyed by answer field, PermissionDenied,
    InfoRoundConflict); the version increases by one at each save.
    """
    if not info_round_may_fill(actor, operator):
        raise PermissionDenied
    now = now or timezone.now()
    session = Session.objects.select_for_update().select_related("series").get(pk=session.pk)
    if not operator_takes_part(session, operator):
        raise PermissionDenied
    info_round_check_open(session, now)
    entry = InfoRoundEntry.objects.select_for_update().filter(session=session, operator=operator).first()
    if (entry.version if entry else 0) != version:
        if entry is None:
            raise InfoRoundConflict(entry=InfoRoundEntry(session=session, operator=operator, version=0), answers={})
        raise InfoRoundConflict(entry=entry, answers={a.question_id: a for a in entry.answers.all()})
    submit = submit or nothing_new or (entry is not None and entry.status == InfoRoundEntry.Status.SUBMITTED)
    questions = info_round_questions(session)
    values, errors = {}, {}
    for question in questions:
        field = answer_field(question.pk)
        try:
            values[question.pk] = _answer_values(question, answers.get(question.pk))
        except ValidationError as exc:
            errors[field] = exc.messages[0]
            continue
        empty = not any(v not in ("", None) for v in values[question.pk].values())
        if submit and not nothing_new and question.required and empty:
            errors[field] = _("This question needs an answer before you submit.")
    if errors:
        raise ValidationError(errors)
    if entry is None:
        entry = InfoRoundEntry(session=session, operator=operator, version=0)
    if submit and entry.status != InfoRoundEntry.Status.SUBMITTED:
        _opens_at, deadline = info_round_window(session)
        entry.status = InfoRoundEntry.Status.SUBMITTED
        entry.submitted_at = now
        entry.submitted_by = actor
        entry.is_late = now > deadline
    entry.nothing_new = bool(nothing_new)
    entry.updated_by = actor
    entry.version += 1
    entry.save()
    InfoRoundAnswer.objects.bulk_create(
        [InfoRoundAnswer(entry=entry, question_id=pk, **fields) for pk, fields in values.items()],
        update_conflicts=True,
        unique_fields=["entry", "question"],
        update_fields=list(EMPTY_ANSWER),
    )
    series_changed(session.series_id)
    audit_record(
        actor=actor,
        action="info_round.submit" if submit else "info_round.save",
        obj=entry,
        detail={"session": session.pk, "operator": operator.pk, "version": entry.version},
    )
    return entry
