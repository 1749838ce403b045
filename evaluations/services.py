"""Writes of the evaluations app: opening an evaluation, the questionnaire and
the operators' answers, the co-written report (optimistic locking, history,
comments, approvals), the state machine and the exports.

The state machine is `evaluation_transition`:
    collecting ⇄ drafting → final
Answers are editable while collecting; the report until it is final; an
operator approves while drafting. A final evaluation never changes: a new
version (`evaluation_open` again) copies it and is drafted in its turn.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.services import audit_record
from meetings.models import Series
from operators.models import Operator

from .defaults import DEFAULT_QUESTIONS, DEFAULT_SECTIONS
from .exporters.document import document_data
from .fragments import evaluation_changed
from .models import (
    MAX_TEXT_ANSWER_LENGTH,
    Answer,
    Approval,
    Evaluation,
    ExportJob,
    Question,
    ReportSection,
    Response,
    SectionComment,
    SectionRevision,
)
from .tasks import evaluation_export_task

logger = logging.getLogger(__name__)
Kind = Question.Kind

DEFAULT_DEADLINE = datetime.timedelta(days=14)


class SectionConflict(Exception):
    """Someone saved the section since the version the edit was made on."""

    def __init__(self, section: ReportSection, yours: str):
        super().__init__("section conflict")
        self.section = section
        self.yours = yours


class ResponseConflict(Exception):
    """Another referent of the operator saved its answers meanwhile."""

    def __init__(self, response: Response | None):
        super().__init__("response conflict")
        self.response = response


def _closed(message: str) -> ValidationError:
    return ValidationError(message, code="state")


# --- Opening ------------------------------------------------------------------


def _copy_into(previous: Evaluation, evaluation: Evaluation) -> None:
    mapping = {}
    for question in previous.questions.all():
        old_pk = question.pk
        question.pk = None
        question.evaluation = evaluation
        question.save()
        mapping[old_pk] = question
    for response in previous.responses.prefetch_related("answers"):
        answers = list(response.answers.all())
        response.pk = None
        response.evaluation = evaluation
        response.version = 1
        response.save()
        Answer.objects.bulk_create(
            Answer(response=response, question=mapping[a.question_id], scale=a.scale, selected=a.selected, text=a.text)
            for a in answers
        )
    ReportSection.objects.bulk_create(
        ReportSection(
            evaluation=evaluation,
            position=s.position,
            title=s.title,
            body=s.body,
            updated_by_id=s.updated_by_id,
            updated_at=s.updated_at,
        )
        for s in previous.sections.all()
    )


@transaction.atomic
def evaluation_open(*, actor: User, series: Series, answer_deadline: datetime.datetime | None = None) -> Evaluation:
    """Open the evaluation of a series, or a new version after a final one.

    Guarantees: at most one version of a series is not final; a first version
    collects answers to the default questionnaire and has the default
    sections; a new version copies the last final one (questions, answers,
    texts) and is drafted, the final one staying as it was.
    """
    if Evaluation.objects.filter(series=series).exclude(status=Evaluation.Status.FINAL).exists():
        raise ValidationError(_("This series already has an evaluation in progress."))
    previous = Evaluation.objects.filter(series=series).order_by("-version").first()
    now = timezone.now()
    deadline = answer_deadline or now + DEFAULT_DEADLINE
    if answer_deadline is not None and answer_deadline <= now:
        raise ValidationError({"answer_deadline": _("The deadline must be in the future.")})
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                series=series,
                version=previous.version + 1 if previous else 1,
                status=Evaluation.Status.DRAFTING if previous else Evaluation.Status.COLLECTING,
                answer_deadline=previous.answer_deadline if previous else deadline,
                opened_by=actor,
                drafting_at=now if previous else None,
            )
    except IntegrityError as exc:  # another coordinator opened it at the same moment
        raise ValidationError(_("This series already has an evaluation in progress.")) from exc
    if previous:
        _copy_into(previous, evaluation)
    else:
        Question.objects.bulk_create(
            Question(
                evaluation=evaluation, position=i, kind=kind, prompt=str(prompt), options=[str(o) for o in options]
            )
            for i, (kind, prompt, options) in enumerate(DEFAULT_QUESTIONS, start=1)
        )
        ReportSection.objects.bulk_create(
            ReportSection(evaluation=evaluation, position=i, title=str(title))
            for i, title in enumerate(DEFAULT_SECTIONS, start=1)
        )
    # Its sections (and a new version's copies) are bulk_created: no signal.
    evaluation_changed(evaluation.pk)
    audit_record(actor=actor, action="evaluation.open", obj=evaluation, detail={"version": evaluation.version})
    return evaluation


@transaction.atomic
def evaluation_set_deadline(*, actor: User, evaluation: Evaluation, answer_deadline: datetime.datetime) -> Evaluation:
    """Move the answers' deadline (while collecting only)."""
    if evaluation.status != Evaluation.Status.COLLECTING:
        raise _closed(_("The questionnaire is closed."))
    evaluation.answer_deadline = answer_deadline
    evaluation.save(update_fields=["answer_deadline"])
    return evaluation


# --- The questionnaire --------------------------------------------------------

MAX_OPTIONS = 12


def _clean_options(kind: str, options: list[str]) -> list[str]:
    options = [o.strip() for o in options if o.strip()]
    if kind == Kind.TEXT:
        return []
    if kind == Kind.SCALE and len(options) != 5:
        raise ValidationError({"options": _("A scale has exactly five labels, one per line (1 to 5).")})
    if kind in (Kind.SINGLE, Kind.MULTIPLE) and not 2 <= len(options) <= MAX_OPTIONS:
        raise ValidationError({"options": _("A choice has between 2 and 12 options, one per line.")})
    if any(len(o) > 120 for o in options):
        raise ValidationError({"options": _("An option has at most 120 characters.")})
    return options


@transaction.atomic
def question_save(
    *,
    actor: User,
    evaluation: Evaluation,
    question: Question | None = None,
    kind: str,
    prompt: str,
    help_text: str = "",
    options: list[str] = (),
    required: bool = True,
) -> Question:
    """Add or change a question while answers are collected.

    Guarantees: options fit the kind; a question already answered keeps its
    kind and its number of options, so no answer changes meaning.
    """
    if evaluation.status != Evaluation.Status.COLLECTING:
        raise _closed(_("The questionnaire can only change while answers are collected."))
    options = _clean_options(kind, list(options))
    if question is not None:
        answered = question.answers.exists()
        if answered and (kind != question.kind or len(options) != len(question.options)):
            raise ValidationError(
                {"kind": _("Operators have answered this question: keep its kind and its number of options.")}
            )
    else:
        last = evaluation.questions.order_by("-position").values_list("position", flat=True).first() or 0
        question = Question(evaluation=evaluation, position=last + 1)
    question.kind, question.prompt, question.help_text = kind, prompt, help_text
    question.options, question.required = options, required
    question.save()
    return question


@transaction.atomic
def question_delete(*, actor: User, question: Question) -> None:
    """Remove a question nobody has answered yet."""
    if question.evaluation.status != Evaluation.Status.COLLECTING:
        raise _closed(_("The questionnaire can only change while answers are collected."))
    if question.answers.filter(response__status=Response.Status.SUBMITTED).exists():
        raise ValidationError(_("Operators have answered this question: it cannot be removed."))
    question.delete()


@transaction.atomic
def question_move(*, actor: User, question: Question, up: bool) -> None:
    """Swap the question with its neighbour."""
    evaluation = question.evaluation
    if evaluation.status != Evaluation.Status.COLLECTING:
        raise _closed(_("The questionnaire can only change while answers are collected."))
    ordered = list(evaluation.questions.order_by("position", "pk"))
    index = ordered.index(question)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, q in enumerate(ordered, start=1):
        q.position = position
    Question.objects.bulk_update(ordered, ["position"])


# --- The answers --------------------------------------------------------------


def _answer(question: Question, value) -> Answer | None:
    """The Answer for a cleaned value (None: not answered); a value that does not fit is refused."""
    n = len(question.options)
    if question.kind == Kind.SCALE:
        if value in (None, ""):
            return None
        if int(value) not in range(1, 6):
            raise ValidationError({f"q_{question.pk}": _("Choose a value from 1 to 5.")})
        return Answer(question=question, scale=int(value))
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        picks = [value] if question.kind == Kind.SINGLE and value not in (None, "") else list(value or [])
        picks = sorted({int(p) for p in picks})
        if any(not 0 <= p < n for p in picks) or (question.kind == Kind.SINGLE and len(picks) > 1):
            raise ValidationError({f"q_{question.pk}": _("Choose among the options given.")})
        return Answer(question=question, selected=picks) if picks else None
    text = (value or "").strip()
    if len(text) > MAX_TEXT_ANSWER_LENGTH:
        raise ValidationError({f"q_{question.pk}": _("At most 4000 characters.")})
    return Answer(question=question, text=text) if text else None


@transaction.atomic
def response_save(
    *,
    actor: User,
    evaluation: Evaluation,
    operator: Operator,
    values: dict[int, object],
    version: int,
    submit: bool,
) -> Response:
    """Save an operator's answers, as a draft or submitted.

    Guarantees: only while collecting; never over a save the person had not
    seen (`version`, 0 for the first save; ResponseConflict otherwise); a
    submitted response answers every required question and stays submitted
    when edited again; all answers are written or none.
    """
    if not Evaluation.objects.filter(pk=evaluation.pk, status=Evaluation.Status.COLLECTING).exists():
        raise _closed(_("The questionnaire is closed: the report is being written."))
    response = Response.objects.select_for_update().filter(evaluation=evaluation, operator=operator).first()
    if (response.version if response else 0) != version:
        raise ResponseConflict(response)
    answers = {}
    errors = {}
    for question in evaluation.questions.all():
        try:
            answer = _answer(question, values.get(question.pk))
        except ValidationError as exc:
            errors.update(exc.error_dict)
            continue
        if answer is not None:
            answers[question.pk] = answer
    submit = submit or (response is not None and response.status == Response.Status.SUBMITTED)
    if submit:
        for question in evaluation.questions.all():
            if question.required and question.pk not in answers and f"q_{question.pk}" not in errors:
                errors[f"q_{question.pk}"] = [_("This question needs an answer.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if response is None:
        response = Response(evaluation=evaluation, operator=operator, version=0)
    response.version += 1
    response.updated_by = actor
    if submit and response.status != Response.Status.SUBMITTED:
        response.status = Response.Status.SUBMITTED
        response.submitted_at, response.submitted_by = now, actor
    response.save()
    response.answers.all().delete()
    for answer in answers.values():
        answer.response = response
    Answer.objects.bulk_create(answers.values())
    return response


# --- The state machine ---------------------------------------------------------

TRANSITIONS = {
    Evaluation.Status.COLLECTING: {Evaluation.Status.DRAFTING},
    Evaluation.Status.DRAFTING: {Evaluation.Status.COLLECTING, Evaluation.Status.FINAL},
    Evaluation.Status.FINAL: set(),
}


@transaction.atomic
def evaluation_transition(*, actor: User, evaluation: Evaluation, to: str) -> Evaluation:
    """Move the evaluation to `to` if that move exists from where it is now.

    Guarantees: a move made on a stale page fails instead of moving twice;
    finalising freezes the indicators, results and tables the exports show,
    and nothing of that version changes afterwards.
    """
    current = evaluation.status
    if to not in TRANSITIONS[current]:
        raise _closed(_("This change of state is not possible."))
    now = timezone.now()
    fields = {"status": to}
    if to == Evaluation.Status.DRAFTING:
        fields["drafting_at"] = now
    if to == Evaluation.Status.FINAL:
        fields |= {"finalised_by": actor, "finalised_at": now, "snapshot": document_data(evaluation.series, evaluation)}
    if not Evaluation.objects.filter(pk=evaluation.pk, status=current).update(**fields):
        raise _closed(_("Someone changed the state of this evaluation meanwhile. Reload the page."))
    evaluation_changed(evaluation.pk)  # an UPDATE: no signal
    evaluation.refresh_from_db()
    audit_record(actor=actor, action=f"evaluation.{to}", obj=evaluation, detail={"from": current})
    return evaluation


# --- The report -----------------------------------------------------------------


@transaction.atomic
def section_save(*, actor: User, section: ReportSection, body: str, version: int) -> ReportSection:
    """Save the text of a section over the version the person edited.

    Guarantees: never over someone else's save the person had not seen
    (SectionConflict carries the text now saved and theirs, so nothing is
    lost); every save is kept with its author; a final report never changes;
    approvals given before the save become approvals of an earlier text.
    """
    if (
        not Evaluation.objects.filter(pk=section.evaluation_id)
        .exclude(status=Evaluation.Status.FINAL)
        .update(report_version=F("report_version") + 1)
    ):
        raise _closed(_("The report is final: it cannot change any more."))
    evaluation_changed(section.evaluation_id)  # UPDATEs of the evaluation and the section: no signal
    now = timezone.now()
    saved = ReportSection.objects.filter(pk=section.pk, version=version).update(
        body=body, version=version + 1, updated_by=actor, updated_at=now
    )
    if not saved:
        raise SectionConflict(ReportSection.objects.select_related("updated_by").get(pk=section.pk), body)
    SectionRevision.objects.create(section=section, number=version + 1, body=body, author=actor)
    section.refresh_from_db()
    return section


@transaction.atomic
def section_comment_add(*, actor: User, section: ReportSection, body: str) -> SectionComment:
    """Comment a section of a report that is not final."""
    if section.evaluation.status == Evaluation.Status.FINAL:
        raise _closed(_("The report is final: it cannot change any more."))
    return SectionComment.objects.create(section=section, author=actor, body=body)


@transaction.atomic
def approval_give(*, actor: User, evaluation: Evaluation, operator: Operator) -> Approval:
    """ "Nous validons": the operator approves the report as it stands now (while drafting)."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != Evaluation.Status.DRAFTING:
        raise _closed(_("The report can be approved while it is being drafted."))
    approval, _created = Approval.objects.update_or_create(
        evaluation=evaluation,
        operator=operator,
        defaults={"approved_by": actor, "approved_at": timezone.now(), "report_version": evaluation.report_version},
    )
    return approval


@transaction.atomic
def approval_withdraw(*, actor: User, evaluation: Evaluation, operator: Operator) -> None:
    if evaluation.status != Evaluation.Status.DRAFTING:
        raise _closed(_("The report can be approved while it is being drafted."))
    Approval.objects.filter(evaluation=evaluation, operator=operator).delete()


# --- Exports ----------------------------------------------------------------------


@transaction.atomic
def export_request(*, actor: User, evaluation: Evaluation, format: str) -> ExportJob:
    """Ask for an export: logged now, built by a Celery task once committed."""
    if format not in ExportJob.Format.values:
        raise ValidationError(_("Unknown format."))
    job = ExportJob.objects.create(evaluation=evaluation, format=format, requested_by=actor)
    audit_record(
        actor=actor, action="evaluation.export", obj=evaluation, detail={"format": format, "job": str(job.public_id)}
    )
    transaction.on_commit(lambda: evaluation_export_task.delay(job.pk))
    return job
