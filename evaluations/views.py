"""Pages of the evaluation: opening it, the questionnaire (built by the
coordinators, answered by each operator's referents), the co-written report
(edit with conflicts shown side by side, history, comments, approvals), the
indicators and the exports.

A series you are not part of answers 404; taking part without the right
answers 403.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import typed_texts
from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from core.services import audit_record
from meetings.forms.sessions import add_service_errors
from meetings.selectors import series_get_for_user
from operators.models import Operator

from . import selectors, services
from .charts import indicator_charts
from .exports import export_file_open
from .forms import (
    ApprovalForm,
    CommentForm,
    DeadlineForm,
    ExportForm,
    MoveForm,
    QuestionForm,
    ResponseForm,
    SectionForm,
    TransitionForm,
)
from .fragments import CSRF_SLOT, evaluation_fragment_key, with_csrf
from .indicators import key_figures, series_indicators
from .models import Evaluation, ExportJob, Question, ReportSection


def _evaluation(request, evaluation_id, perm: str | None = None) -> Evaluation:
    evaluation = selectors.evaluation_get_for_user(request.user, evaluation_id)
    # The rules themselves, not user.has_perm: a superuser answers for no operator.
    if perm and not rules.has_perm(perm, request.user, evaluation):
        raise PermissionDenied
    return evaluation


def _can(user, evaluation) -> dict:
    return {
        perm: rules.has_perm(f"evaluations.{perm}", user, evaluation)
        for perm in ("manage_evaluation", "answer_evaluation", "write_report", "approve_report", "export_evaluation")
    }


def _base(request, evaluation) -> dict:
    """What every page of an evaluation shows: its series and what the person may do."""
    return {"evaluation": evaluation, "series": evaluation.series, "can": _can(request.user, evaluation)}


def _detail(evaluation):
    return redirect("evaluations:evaluation_detail", evaluation_id=evaluation.public_id)


# --- Opening -----------------------------------------------------------------


@login_required
def series_evaluation(request, series_id):
    series = series_get_for_user(request.user, series_id)
    evaluation = selectors.series_latest_evaluation(series)
    if evaluation is not None:
        return _detail(evaluation)
    can_open = request.user.has_perm("evaluations.open_evaluation", series)
    context = {"series": series, "can_open": can_open, "form": DeadlineForm()}
    return render(request, "evaluations/evaluation_start.html", context)


@login_required
@require_POST
def evaluation_open(request, series_id):
    series = series_get_for_user(request.user, series_id)
    if not request.user.has_perm("evaluations.open_evaluation", series):
        raise PermissionDenied
    latest = selectors.series_latest_evaluation(series)
    form = DeadlineForm(request.POST)
    if latest is None and not form.is_valid():
        return render(request, "evaluations/evaluation_start.html", {"series": series, "can_open": True, "form": form})
    try:
        evaluation = services.evaluation_open(
            actor=request.user, series=series, answer_deadline=form.deadline if latest is None else None
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evaluations:series_evaluation", series_id=series.public_id)
    messages.success(request, _("The evaluation is open."))
    return _detail(evaluation)


# --- The evaluation page --------------------------------------------------------


@login_required
def evaluation_detail(request, evaluation_id):
    evaluation = _evaluation(request, evaluation_id)
    base = _base(request, evaluation)
    referent_of = selectors.referent_operator_ids(request.user, evaluation.series_id)
    # The page's body is cached (evaluations/fragments.py): the same for everyone
    # with the same rights and the same operators to approve for; read only on a miss.
    overview = SimpleLazyObject(lambda: selectors.evaluation_overview(evaluation))
    can = "".join(str(int(allowed)) for allowed in base["can"].values())
    context = {
        **base,
        "overview": overview,
        "my_operators": SimpleLazyObject(lambda: [o for o in overview.operators if o.operator.pk in referent_of]),
        "page_key": evaluation_fragment_key(
            "evaluation-detail", evaluation, can, ",".join(map(str, sorted(referent_of)))
        ),
        "fragment_timeout": FRAGMENT_TIMEOUT,
        "csrf_slot": CSRF_SLOT,
    }
    return with_csrf(request, render(request, "evaluations/evaluation_detail.html", context))


@login_required
@require_POST
def evaluation_transition(request, evaluation_id):
    evaluation = _evaluation(request, evaluation_id, "evaluations.manage_evaluation")
    form = TransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("This change of state is not possible."))
        services.evaluation_transition(actor=request.user, evaluation=evaluation, to=form.cleaned_data["to"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = {
            Evaluation.Status.COLLECTING: _("The questionnaire is open again."),
            Evaluation.Status.DRAFTING: _("The questionnaire is closed: the report is being written."),
            Evaluation.Status.FINAL: _("The evaluation is final."),
        }
        messages.success(request, done[form.cleaned_data["to"]])
    return _detail(evaluation)


# --- The questionnaire ------------------------------------------------------------


@login_required
def questionnaire(request, evaluation_id):
    evaluation = _evaluation(request, evaluation_id, "evaluations.manage_evaluation")
    form = QuestionForm(request.POST or None)
    if form.is_valid():
        try:
            services.question_save(actor=request.user, evaluation=evaluation, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The question was added."))
            return redirect("evaluations:questionnaire", evaluation_id=evaluation.public_id)
    context = {
        **_base(request, evaluation),
        "questions": selectors.questions(evaluation),
        "form": form,
        "deadline_form": DeadlineForm(initial={"answer_deadline": evaluation.answer_deadline}),
    }
    return render(request, "evaluations/questionnaire.html", context)


def _question(request, evaluation_id, question_id) -> tuple[Evaluation, Question]:
    evaluation = _evaluation(request, evaluation_id, "evaluations.manage_evaluation")
    return evaluation, get_object_or_404(Question, evaluation=evaluation, pk=question_id)


@login_required
def question_edit(request, evaluation_id, question_id):
    evaluation, question = _question(request, evaluation_id, question_id)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if form.is_valid():
        try:
            services.question_save(
                actor=request.user, evaluation=evaluation, question=question, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("evaluations:questionnaire", evaluation_id=evaluation.public_id)
    context = {**_base(request, evaluation), "question": question, "form": form}
    return render(request, "evaluations/question_form.html", context)


@login_required
@require_POST
def question_delete(request, evaluation_id, question_id):
    evaluation, question = _question(request, evaluation_id, question_id)
    try:
        services.question_delete(actor=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The question was removed."))
    return redirect("evaluations:questionnaire", evaluation_id=evaluation.public_id)


@login_required
@require_POST
def question_move(request, evaluation_id, question_id):
    evaluation, question = _question(request, evaluation_id, question_id)
    form = MoveForm(request.POST)
    try:
        services.question_move(actor=request.user, question=question, up=form.is_valid() and form.cleaned_data["up"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("evaluations:questionnaire", evaluation_id=evaluation.public_id)


@login_required
@require_POST
def evaluation_deadline(request, evaluation_id):
    evaluation = _evaluation(request, evaluation_id, "evaluations.manage_evaluation")
    form = DeadlineForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["answer_deadline"])
        services.evaluation_set_deadline(actor=request.user, evaluation=evaluation, answer_deadline=form.deadline)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The deadline was changed."))
    return redirect("evaluations:questionnaire", evaluation_id=evaluation.public_id)


# --- Answering --------------------------------------------------------------------


def _answering_operator(request, evaluation) -> Operator:
    """The operator the referent answers for: ?operator=, else their first one taking part."""
    ids = selectors.referent_operator_ids(request.user, evaluation.series_id)
    wanted = request.GET.get("operator", "")
    if wanted:
        if not wanted.isdigit() or int(wanted) not in ids:
            raise Http404
        return Operator.objects.get(pk=int(wanted))
    return Operator.objects.filter(pk__in=ids).order_by("name").first()


@login_required
def response_edit(request, evaluation_id):
    evaluation = _evaluation(request, evaluation_id, "evaluations.answer_evaluation")
    operator = _answering_operator(request, evaluation)
    questions = selectors.questions(evaluation)
    response, answers = selectors.response_for(evaluation, operator)
    initial = ResponseForm.initial_for(response, answers)
    form = ResponseForm(questions, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.response_save(
                actor=request.user,
                evaluation=evaluation,
                operator=operator,
                values=form.values(),
                version=form.cleaned_data["version"],
                submit=submit,
            )
        except services.ResponseConflict:
            form.add_error(None, _("Someone of your team saved these answers meanwhile. Reload the page to see them."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answers were sent.") if submit else _("Your draft was saved."))
            return _detail(evaluation)
    is_open = evaluation.status == Evaluation.Status.COLLECTING
    # Closed meanwhile (the report is being written): what was typed comes back, read-only.
    refused = typed_texts(form) if request.method == "POST" and not is_open else []
    context = {
        **_base(request, evaluation),
        "operator": operator,
        "response": response,
        "form": form,
        "open": is_open,
        "refused": refused,
    }
    return render(request, "evaluations/response_form.html", context, status=409 if refused else 200)


@login_required
def answers(request, evaluation_id):
    evaluation = _evaluation(request, evaluation_id)
    overview = selectors.evaluation_overview(evaluation)
    results = [r.as_data() for r in selectors.questionnaire_results(evaluation)]
    context = {**_base(request, evaluation), "overview": overview, "results": results}
    return render(request, "evaluations/answers.html", context)


# --- The report ---------------------------------------------------------------------


def _section(request, evaluation_id, section_id, perm=None) -> tuple[Evaluation, ReportSection]:
    evaluation = _evaluation(request, evaluation_id, perm)
    return evaluation, get_object_or_404(
        ReportSection.objects.select_related("updated_by"), evaluation=evaluation, pk=section_id
    )


@login_required
def section_edit(request, evaluation_id, section_id):
    evaluation, section = _section(request, evaluation_id, section_id, "evaluations.write_report")
    if evaluation.status == Evaluation.Status.FINAL:
        if request.method != "POST":
            messages.error(request, _("The report is final: it cannot change any more."))
            return _detail(evaluation)
        # Made final meanwhile: the text typed comes back, read-only, to be copied.
        form = SectionForm(request.POST)
        form.is_valid()
        form.add_error(None, _("The report is final: it cannot change any more."))
        context = {**_base(request, evaluation), "section": section, "form": form, "refused": typed_texts(form)}
        return render(request, "evaluations/section_form.html", context, status=409)
    form = SectionForm(request.POST or None, initial={"body": section.body, "version": section.version})
    conflict = None
    if form.is_valid():
        try:
            services.section_save(actor=request.user, section=section, **form.cleaned_data)
        except services.SectionConflict as exc:
            conflict, section = exc, exc.section
            # The form keeps the person's text; it now edits over the saved version.
            data = form.data.copy()
            data["version"] = exc.section.version
            form = SectionForm(data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The section was saved."))
            return redirect(f"{_detail(evaluation).url}#section-{section.pk}")
    context = {**_base(request, evaluation), "section": section, "form": form}
    return render(request, "evaluations/section_form.html", context | {"conflict": conflict})


@login_required
def section_history(request, evaluation_id, section_id):
    evaluation, section = _section(request, evaluation_id, section_id)
    revisions = section.revisions.select_related("author")
    context = {**_base(request, evaluation), "section": section, "revisions": revisions}
    return render(request, "evaluations/section_history.html", context)


@login_required
@require_POST
def section_comment(request, evaluation_id, section_id):
    evaluation, section = _section(request, evaluation_id, section_id, "evaluations.write_report")
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["body"])
        services.section_comment_add(actor=request.user, section=section, body=form.cleaned_data["body"])
    except ValidationError as exc:
        if not typed_texts(form):
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{_detail(evaluation).url}#section-{section.pk}")
        # Refused with a text (too long, the report made final meanwhile): it comes back to copy.
        form.errors.clear()
        form.add_error(None, exc)
        context = {**_base(request, evaluation), "section": section, "form": form, "refused": typed_texts(form)}
        return render(request, "evaluations/comment_refused.html", context, status=409)
    messages.success(request, _("Your comment was added."))
    return redirect(f"{_detail(evaluation).url}#section-{section.pk}")


@login_required
@require_POST
def approval(request, evaluation_id):
    evaluation = _evaluation(request, evaluation_id, "evaluations.approve_report")
    form = ApprovalForm(request.POST)
    ids = selectors.referent_operator_ids(request.user, evaluation.series_id)
    if not form.is_valid() or form.cleaned_data["operator"] not in ids:
        messages.error(request, _("You can approve only for an operator of which you are referent."))
        return _detail(evaluation)
    operator = Operator.objects.get(pk=form.cleaned_data["operator"])
    try:
        if form.cleaned_data["withdraw"]:
            services.approval_withdraw(actor=request.user, evaluation=evaluation, operator=operator)
            messages.success(request, _("Your operator's approval was withdrawn."))
        else:
            services.approval_give(actor=request.user, evaluation=evaluation, operator=operator)
            messages.success(request, _("Your operator approves the report."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _detail(evaluation)


# --- Indicators and exports ------------------------------------------------------------


@login_required
def indicators(request, evaluation_id):
    evaluation = _evaluation(request, evaluation_id)
    if evaluation.status == Evaluation.Status.FINAL and evaluation.snapshot:
        data = evaluation.snapshot["indicators"]
    else:
        data = series_indicators(evaluation.series)
    context = {
        **_base(request, evaluation),
        "indicators": data,
        "figures": key_figures(data),
        "charts": indicator_charts(data),
    }
    return render(request, "evaluations/indicators.html", context)


@login_required
def exports(request, evaluation_id):
    evaluation = _evaluation(request, evaluation_id, "evaluations.export_evaluation")
    audit_record(actor=request.user, action="evaluation.exports_view", obj=evaluation)
    context = {
        **_base(request, evaluation),
        "jobs": selectors.export_jobs(evaluation),
        "formats": ExportJob.Format.choices,
    }
    return render(request, "evaluations/exports.html", context)


@login_required
@require_POST
def export_start(request, evaluation_id):
    evaluation = _evaluation(request, evaluation_id, "evaluations.export_evaluation")
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a format."))
    else:
        services.export_request(actor=request.user, evaluation=evaluation, format=form.cleaned_data["format"])
        messages.success(request, _("The export is being prepared: the link appears below when it is ready."))
    return redirect("evaluations:exports", evaluation_id=evaluation.public_id)


@login_required
def export_status(request, evaluation_id, job_id):
    evaluation = _evaluation(request, evaluation_id, "evaluations.export_evaluation")
    job = selectors.export_job_get(evaluation, job_id)
    return render(request, "evaluations/_export_row.html", {"evaluation": evaluation, "job": job})


@login_required
def export_download(request, evaluation_id, job_id):
    evaluation = _evaluation(request, evaluation_id, "evaluations.export_evaluation")
    job = selectors.export_job_get(evaluation, job_id)
    if job.status not in (ExportJob.Status.DONE, ExportJob.Status.EXPIRED):
        raise Http404
    export_file = export_file_open(job=job)
    if export_file is None:
        context = {**_base(request, evaluation), "job": job}
        return render(request, "evaluations/export_gone.html", context, status=410)
    audit_record(
        actor=request.user,
        action="evaluation.export_download",
        obj=evaluation,
        detail={"format": job.format, "job": str(job.public_id)},
    )
    name = _("evaluation-v%(version)s.%(ext)s") % {
        "version": evaluation.version,
        "ext": job.file.name.rsplit(".", 1)[-1],
    }
    return FileResponse(export_file, as_attachment=True, filename=name)
