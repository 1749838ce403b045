"""Cooperation needs: the convergence board, raising a need, its page, "nous aussi" and the coordinators' moves."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import typed_texts
from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT

from ..forms.needs import NeedCloseForm, NeedEndorseForm, NeedFilterForm, NeedRaiseForm
from ..forms.sessions import add_service_errors
from ..origins import origins_of
from ..selectors.access import series_get_for_user
from ..selectors.needs import (
    BOARD_CAP,
    BOARD_STAGES,
    ENDED,
    ENDED_RECENT_DAYS,
    FINAL_STAGES,
    need_board_page,
    need_endorsing_operators,
    need_get_for_user,
    need_links,
    need_raising_operators,
    need_timeline,
    needs_list,
)
from ..services import needs as services
from .actions import PER_PAGE

LIST_STAGES = {**{str(stage): stage.label for stage in BOARD_STAGES}, ENDED: gettext_lazy("Closed or dropped")}


@login_required
def need_board(request):
    """The board (capped columns); with `stage`, the paginated list of the needs at that stage."""
    form = NeedFilterForm(request.user, request.GET or None)
    filters = request.GET.copy()  # the filters alone, for the links between board and lists
    filters.pop("page", None)
    stage = filters.pop("stage", [""])[-1]
    if stage in LIST_STAGES:
        needs = needs_list(user=request.user, stage=stage, **form.filters())
        page = Paginator(needs, PER_PAGE).get_page(request.GET.get("page"))
        query = filters.copy()
        query["stage"] = stage
        context = {"form": form, "page": page, "stage": stage, "stage_label": LIST_STAGES[stage]}
        context.update(filters=filters.urlencode(), query=query.urlencode())
        return render(request, "meetings/need_list.html", context)
    board, key = need_board_page(user=request.user, filters=form.filters(), query=request.GET.urlencode())
    context = {"form": form, "board": board, "board_key": key, "filters": filters.urlencode()}
    context.update(cap=BOARD_CAP, recent_days=ENDED_RECENT_DAYS, fragment_timeout=FRAGMENT_TIMEOUT)
    return render(request, "meetings/need_board.html", context)


@login_required
def need_raise(request, series_id):
    series = series_get_for_user(request.user, series_id)
    # Coordinators raise for any operator taking part; the others for their own.
    can_change = request.user.has_perm("meetings.change_series", series)
    if not can_change and not need_raising_operators(request.user, series).exists():
        raise PermissionDenied
    form = NeedRaiseForm(request.user, series, request.POST or None)
    if form.is_valid():
        try:
            need = services.need_raise(actor=request.user, series=series, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The need was raised."))
            return redirect("meetings:need_detail", need_id=need.public_id)
    return render(request, "meetings/need_form.html", {"series": series, "form": form})


def _detail(request, need, *, refused_form=None, status: int = 200):
    """The need's page; with `refused_form`, a refused form whose typed text comes back on it."""
    context = {
        "need": need,
        "series": need.series,
        "timeline": need_timeline(need),
        "endorsers": need_endorsing_operators(request.user, need),
        "close_form": NeedCloseForm(),
        "can_change": request.user.has_perm("meetings.change_series", need.series),
        "form": refused_form,
        "refused": typed_texts(refused_form) if refused_form is not None else [],
        **need_links(need),
        "origins": origins_of(request.user, need=need),
    }
    return render(request, "meetings/need_detail.html", context, status=status)


@login_required
def need_detail(request, need_id):
    need = need_get_for_user(request.user, need_id)
    return _detail(request, need)


def _refuse(request, need, form, reason: str):
    """Nothing was done: without text to give back, say why on the need's page;
    with some (a comment, a reason), show the page with that text to copy."""
    if not typed_texts(form):
        messages.error(request, reason)
        return redirect("meetings:need_detail", need_id=need.public_id)
    form.add_error(None, reason)
    return _detail(request, need, refused_form=form, status=409)


def _apply(request, need, change, success: str, form=None):
    """Run `change` (a service call), say how it went, back to the need's page."""
    try:
        change()
    except ValidationError as exc:
        if form is not None:
            return _refuse(request, need, form, " ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("meetings:need_detail", need_id=need.public_id)


@login_required
@require_POST
def need_endorse(request, need_id):
    need = need_get_for_user(request.user, need_id)
    endorsers = need_endorsing_operators(request.user, need)
    if not endorsers:
        if need.stage not in FINAL_STAGES or not request.user.has_perm("meetings.take_part", need.series):
            raise PermissionDenied
        # Closed or dropped since the page was loaded: the comment typed comes back to copy.
        refused = NeedEndorseForm([], request.POST)
        return _refuse(request, need, refused, _("This need was closed meanwhile: it can no longer be shared."))
    form = NeedEndorseForm(endorsers, request.POST)
    if not form.is_valid():
        return _refuse(request, need, form, " ".join(m for errors in form.errors.values() for m in errors))
    change = partial(services.need_endorse, actor=request.user, need=need, **form.cleaned_data)
    return _apply(request, need, change, _("Your operator shares this need."), form)


def _need_to_change(request, need_id):
    need = need_get_for_user(request.user, need_id)
    if not request.user.has_perm("meetings.change_series", need.series):
        raise PermissionDenied
    return need


@login_required
@require_POST
def need_confirm(request, need_id):
    need = _need_to_change(request, need_id)
    change = partial(services.need_confirm, actor=request.user, need=need)
    return _apply(request, need, change, _("The need is confirmed."))


@login_required
@require_POST
def need_close(request, need_id):
    need = _need_to_change(request, need_id)
    form = NeedCloseForm(request.POST)
    if not form.is_valid():
        return _refuse(request, need, form, " ".join(m for errors in form.errors.values() for m in errors))
    change = partial(services.need_close, actor=request.user, need=need, **form.cleaned_data)
    return _apply(request, need, change, _("The need is closed."), form)


@login_required
@require_POST
def need_reopen(request, need_id):
    need = _need_to_change(request, need_id)
    change = partial(services.need_reopen, actor=request.user, need=need)
    return _apply(request, need, change, _("The need is reopened."))
