"""Reads of the evaluations app: who sees which evaluation, the overview of
one, the questionnaire results. Each runs a fixed number of queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from core.request_cache import cached_on
from meetings.models import Participation, Series
from operators.models import MembershipRole, Operator

from .models import Answer, Approval, Evaluation, ExportJob, Question, ReportSection, Response, SectionComment


def referent_operator_ids(user, series_id: int) -> set[int]:
    """The operators taking part in the series now of which the person is referent (one
    query, cached): one whether or not the person is referent somewhere, so that a page
    runs as many queries for every coordinator."""
    if not user.is_authenticated:
        return set()

    def compute() -> set[int]:
        return set(
            Participation.objects.filter(
                series_id=series_id,
                until__isnull=True,
                operator__memberships__user=user,
                operator__memberships__role=MembershipRole.REFERENT,
            ).values_list("operator_id", flat=True)
        )

    return cached_on(user, f"evaluation_referent:{series_id}", compute)


def evaluation_get_for_user(user, public_id) -> Evaluation:
    """The evaluation at `public_id` if the person may see its series; 404 otherwise.

    Taking part without the right to do something is the view's 403 to raise.
    """
    # No ORDER BY (the model's follows the series' ordering): one row at most.
    evaluation = (
        Evaluation.objects.select_related("series", "finalised_by").filter(public_id=public_id).order_by().first()
    )
    if evaluation is None or not user.has_perm("evaluations.view_evaluation", evaluation):
        raise Http404
    return evaluation


def series_latest_evaluation(series: Series) -> Evaluation | None:
    return Evaluation.objects.filter(series=series).order_by("-version").first()


def evaluation_versions(evaluation: Evaluation) -> list[Evaluation]:
    """The versions of the series, newest first (their numbers and addresses, not their snapshots)."""
    return list(
        Evaluation.objects.filter(series_id=evaluation.series_id)
        .only("public_id", "series_id", "version")
        .order_by("-version")
    )


def participating_operators(evaluation: Evaluation) -> list[Operator]:
    """The operators taking part in the series now, by name."""
    return [
        p.operator
        for p in Participation.objects.filter(series_id=evaluation.series_id, until__isnull=True)
        .select_related("operator")
        .order_by("operator__name")
    ]


@dataclass
class OperatorStatus:
    operator: Operator
    response: Response | None = None
    approval: Approval | None = None

    @property
    def answered(self) -> bool:
        return self.response is not None and self.response.status == Response.Status.SUBMITTED


@dataclass
class Overview:
    evaluation: Evaluation
    operators: list[OperatorStatus]
    sections: list[ReportSection]
    versions: list[Evaluation] = field(default_factory=list)

    @property
    def answered_count(self) -> int:
        return sum(1 for o in self.operators if o.answered)

    @property
    def approved_count(self) -> int:
        return sum(1 for o in self.operators if o.approval is not None)


def evaluation_overview(evaluation: Evaluation) -> Overview:
    """Who answered and approved, the sections with their comments (6 queries)."""
    responses = {
        r.operator_id: r
        for r in Response.objects.filter(evaluation=evaluation).select_related("submitted_by", "updated_by")
    }
    approvals = {a.operator_id: a for a in Approval.objects.filter(evaluation=evaluation).select_related("approved_by")}
    operators = [
        OperatorStatus(operator=op, response=responses.get(op.pk), approval=approvals.get(op.pk))
        for op in participating_operators(evaluation)
    ]
    sections = list(
        ReportSection.objects.filter(evaluation=evaluation)
        .select_related("updated_by")
        .prefetch_related(Prefetch("comments", queryset=SectionComment.objects.select_related("author")))
    )
    return Overview(
        evaluation=evaluation, operators=operators, sections=sections, versions=evaluation_versions(evaluation)
    )


def questions(evaluation: Evaluation) -> list[Question]:
    return list(Question.objects.filter(evaluation=evaluation))


def response_for(evaluation: Evaluation, operator: Operator) -> tuple[Response | None, dict[int, Answer]]:
    response = Response.objects.filter(evaluation=evaluation, operator=operator).select_related("updated_by").first()
    if response is None:
        return None, {}
    return response, {a.question_id: a for a in response.answers.all()}


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    # scale: [(value, label, count)]; choices: [(label, count)]; text: [(operator, text)]
    counts: list = field(default_factory=list)
    mean: float | None = None
    texts: list = field(default_factory=list)

    def as_data(self) -> dict:
        return {
            "prompt": self.question.prompt,
            "kind": self.question.kind,
            "answered": self.answered,
            "counts": [list(c) for c in self.counts],
            "mean": self.mean,
            "texts": [list(t) for t in self.texts],
        }


def questionnaire_results(evaluation: Evaluation) -> list[QuestionResult]:
    """The submitted answers, aggregated; free texts attributed to operators, never people (2 queries)."""
    results = {q.pk: QuestionResult(question=q) for q in questions(evaluation)}
    scales = defaultdict(list)
    picks = defaultdict(Counter)
    answers = (
        Answer.objects.filter(response__evaluation=evaluation, response__status=Response.Status.SUBMITTED)
        .select_related("response__operator")
        .order_by("response__operator__name", "pk")
    )
    for answer in answers:
        result = results.get(answer.question_id)
        if result is None:
            continue
        kind = result.question.kind
        operator = answer.response.operator
        if kind == Question.Kind.SCALE and answer.scale:
            scales[answer.question_id].append(answer.scale)
        elif kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and answer.selected:
            picks[answer.question_id].update(answer.selected)
        elif kind == Question.Kind.TEXT and answer.text.strip():
            result.texts.append((operator.short_name or operator.name, answer.text))
        else:
            continue
        result.answered += 1
    for pk, result in results.items():
        options = result.question.options or []
        if result.question.kind == Question.Kind.SCALE:
            values = scales[pk]
            labels = list(options) + [""] * (5 - len(options))
            result.counts = [(v, labels[v - 1], values.count(v)) for v in range(1, 6)]
            result.mean = round(sum(values) / len(values), 2) if values else None
        elif result.question.kind != Question.Kind.TEXT:
            result.counts = [(label, picks[pk][i]) for i, label in enumerate(options)]
    return list(results.values())


def export_jobs(evaluation: Evaluation, *, limit: int = 30) -> list[ExportJob]:
    return list(ExportJob.objects.filter(evaluation=evaluation).select_related("requested_by")[:limit])


def export_job_get(evaluation: Evaluation, public_id) -> ExportJob:
    job = ExportJob.objects.filter(evaluation=evaluation, public_id=public_id).select_related("requested_by").first()
    if job is None:
        raise Http404
    return job
