"""The decision and action registers across series, their CSV exports, closing an action."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from core.redirects import redirect_next, safe_next
from core.services import audit_record
from core.spreadsheets import cell_safe

from ..forms.actions import ActionCloseForm, ActionFilterForm, DecisionFilterForm
from ..forms.sessions import add_service_errors
from ..selectors.actions import (
    action_get_for_user,
    action_register_page,
    actions_register,
    decision_register_page,
    decisions_register,
)
from ..services import actions as services

PER_PAGE = 25


def _local_date(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _csv_response(name: str) -> tuple[HttpResponse, "csv.writer"]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="carrefour-{name}-{stamp}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    return response, csv.writer(response, delimiter=";")


def _audit_filters(filters: dict) -> dict:
    """The filters of an export as identifiers only, for the audit trail."""
    ids = {"series": lambda s: str(s.public_id), "operator": lambda o: o.slug}
    return {key: ids.get(key, str)(value) for key, value in filters.items()}


@login_required
def action_register(request):
    form = ActionFilterForm(request.user, request.GET or None)
    today = timezone.localdate()
    page, key = action_register_page(
        user=request.user,
        filters=form.filters(),
        number=request.GET.get("page"),
        per_page=PER_PAGE,
        query=request.GET.urlencode(),
        today=today,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "today": today}
    context.update(register_key=key, fragment_timeout=FRAGMENT_TIMEOUT)
    return render(request, "meetings/action_register.html", context)


@login_required
def action_export(request):
    form = ActionFilterForm(request.user, request.GET or None)
    filters = form.filters()
    response, writer = _csv_response("actions")
    header = [pgettext("table column", "Series"), _("Session"), _("Action"), _("Owner operator"), _("Owner")]
    writer.writerow([*header, _("Due date"), _("Status"), _("Closed"), _("Comment")])
    count = 0
    for a in actions_register(user=request.user, **filters).iterator(chunk_size=500):
        row = [a.series.name, _local_date(a.session.starts_at), a.description, a.owner_operator.name]
        row += [a.owner_user.name if a.owner_user else "", a.due_date.isoformat() if a.due_date else ""]
        row += [a.get_status_display(), _local_date(a.closed_at), a.close_comment]
        writer.writerow([cell_safe(v) for v in row])
        count += 1
    audit_record(
        actor=request.user, action="actions.export", detail={"count": count, "filters": _audit_filters(filters)}
    )
    return response


@login_required
def decision_register(request):
    form = DecisionFilterForm(request.user, request.GET or None)
    page, key = decision_register_page(
        user=request.user,
        filters=form.filters(),
        number=request.GET.get("page"),
        per_page=PER_PAGE,
        query=request.GET.urlencode(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    context.update(register_key=key, fragment_timeout=FRAGMENT_TIMEOUT)
    return render(request, "meetings/decision_register.html", context)


@login_required
def decision_export(request):
    form = DecisionFilterForm(request.user, request.GET or None)
    filters = form.filters()
    response, writer = _csv_response("decisions")
    writer.writerow([pgettext("table column", "Series"), _("Session"), _("Decision"), _("Cooperation need")])
    count = 0
    for d in decisions_register(user=request.user, **filters).iterator(chunk_size=500):
        row = [d.series.name, _local_date(d.session.starts_at), d.text, d.need.title if d.need else ""]
        writer.writerow([cell_safe(v) for v in row])
        count += 1
    audit_record(
        actor=request.user, action="decisions.export", detail={"count": count, "filters": _audit_filters(filters)}
    )
    return response


@login_required
def action_close(request, action_id):
    action = action_get_for_user(request.user, action_id)
    if not request.user.has_perm("meetings.close_action", action):
        raise PermissionDenied
    next_url = safe_next(request, default=reverse("meetings:action_register"))
    form = ActionCloseForm(request.POST or None)
    if action.status == action.Status.OPEN and form.is_valid():
        try:
            services.action_close(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action is closed."))
            return HttpResponseRedirect(next_url)
    context = {"action": action, "form": form, "next": next_url}
    return render(request, "meetings/action_close.html", context)


@login_required
@require_POST
def action_reopen(request, action_id):
    action = action_get_for_user(request.user, action_id)
    if not request.user.has_perm("meetings.change_series", action.series):
        raise PermissionDenied
    try:
        services.action_reopen(actor=request.user, action=action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The action is open again."))
    return redirect_next(request, default=reverse("meetings:action_register"))
