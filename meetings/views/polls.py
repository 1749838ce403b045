"""The slot poll: propose slots, answer them, close on the chosen one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ..forms.polls import SLOT_ROWS, PollAnswerForm, PollCloseForm, PollForm, slot_formset
from ..models import SlotPoll
from ..selectors.access import series_get_to_change
from ..selectors.polls import poll_answerable_operators, poll_get_for_user, poll_results
from ..services import polls as services
from ..services.sessions import RegenerationReport


def _require(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _rows(request) -> int:
    try:
        return int(request.GET.get("rows", SLOT_ROWS))
    except ValueError:
        return SLOT_ROWS


def _answer_forms(request, poll: SlotPoll, results, bound) -> list:
    """(operator, form) for each operator of the person taking part; the form just posted keeps its errors."""
    if poll.status != SlotPoll.Status.OPEN:
        return []
    slots = [r.slot for r in results.slots]
    forms = []
    for operator in poll_answerable_operators(results=results, user=request.user):
        if isinstance(bound, PollAnswerForm) and bound.data.get("operator") == str(operator.pk):
            forms.append((operator, bound))
            continue
        initial = {"operator": operator.pk} | {f"slot_{k}": v for k, v in results.answers_of(operator.pk).items()}
        form = PollAnswerForm(slots=slots, operators=[operator], initial=initial, auto_id=f"op{operator.pk}_%s")
        forms.append((operator, form))
    return forms


def _render_detail(request, poll: SlotPoll, *, bound=None, status: int = 200):
    """The poll page; `bound` is a form just posted, shown with its errors."""
    results = poll_results(poll=poll)
    context = {
        "poll": poll,
        "series": poll.series,
        "results": results,
        "answer_forms": _answer_forms(request, poll, results, bound),
        "can_close": poll.status == SlotPoll.Status.OPEN
        and request.user.has_perm("meetings.change_series", poll.series),
        "bound": bound,
        "deadline_passed": poll.deadline <= timezone.now(),
    }
    return render(request, "meetings/poll_detail.html", context, status=status)


@login_required
def poll_create(request, series_id):
    series = series_get_to_change(request.user, series_id)
    form = PollForm(request.POST or None)
    formset = slot_formset(request.POST or None, rows=_rows(request), default_duration=series.default_duration)
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        try:
            poll = services.poll_create(
                actor=request.user,
                series=series,
                title=form.cleaned_data["title"],
                message=form.cleaned_data["message"],
                deadline=form.cleaned_data["deadline"],
                slots=formset.slots(),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The poll is open: the operators taking part can answer it now."))
            return redirect("meetings:poll_detail", poll_id=poll.public_id)
    return render(request, "meetings/poll_form.html", {"series": series, "form": form, "formset": formset})


@login_required
def poll_detail(request, poll_id):
    poll = poll_get_for_user(request.user, poll_id)
    return _render_detail(request, poll)


@login_required
@require_POST
def poll_answer(request, poll_id):
    poll = poll_get_for_user(request.user, poll_id)
    _require(request, "meetings.take_part", poll.series)
    operators = poll_answerable_operators(results=poll_results(poll=poll), user=request.user)
    if not operators:  # superusers pass every has_perm, yet answer for no operator
        raise PermissionDenied
    if poll.status != SlotPoll.Status.OPEN:
        messages.error(request, _("This poll is closed: its answers can no longer be changed."))
        return _render_detail(request, poll, status=409)
    form = PollAnswerForm(request.POST, slots=list(poll.slots.all()), operators=operators)
    if form.is_valid():
        operator = next(op for op in operators if op.pk == form.cleaned_data["operator"])
        try:
            services.poll_answer(actor=request.user, poll=poll, operator=operator, answers=form.answers())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The answers of %(operator)s are saved.") % {"operator": operator.name})
            return redirect("meetings:poll_detail", poll_id=poll.public_id)
    return _render_detail(request, poll, bound=form, status=400)


@login_required
@require_POST
def poll_close(request, poll_id):
    poll = poll_get_for_user(request.user, poll_id)
    _require(request, "meetings.change_series", poll.series)
    form = PollCloseForm(request.POST, poll=poll)
    if form.is_valid():
        try:
            report = services.poll_close(actor=request.user, poll=poll, slot=form.cleaned_data["slot"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _close_message(report))
            return redirect("meetings:series_detail", series_id=poll.series.public_id)
    return _render_detail(request, poll, bound=form, status=400)


def _close_message(report: RegenerationReport) -> str:
    parts = [
        ngettext(
            "The poll is closed and %(count)d session was generated.",
            "The poll is closed and %(count)d sessions were generated.",
            len(report.created),
        )
        % {"count": len(report.created)}
    ]
    if report.removed:
        parts.append(
            ngettext(
                "%(count)d session to come that no longer fits was removed.",
                "%(count)d sessions to come that no longer fit were removed.",
                len(report.removed),
            )
            % {"count": len(report.removed)}
        )
    if report.kept:
        dates = ", ".join(formats.date_format(timezone.localtime(s.starts_at), "DATETIME_FORMAT") for s in report.kept)
        parts.append(
            _("Kept as they were (held, cancelled, extra or prepared): %(dates)s. Check them.") % {"dates": dates}
        )
    return " ".join(parts)
