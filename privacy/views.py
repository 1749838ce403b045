import csv
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.services import audit_record
from core.spreadsheets import cell_safe

from . import notice as privacy_notice
from .forms import AuditFilterForm
from .selectors import audit_events

AUDIT_PER_PAGE = 50


def notice(request):
    """The privacy notice: public, in the reader's language."""
    context = {
        "text": privacy_notice.notice_text(get_language()),
        "controller": settings.PRIVACY_CONTROLLER,
        "dpo_email": settings.PRIVACY_DPO_EMAIL,
        "purposes": privacy_notice.purposes(),
        "retention": privacy_notice.retention_rows(),
    }
    return render(request, "privacy/notice.html", context)


def _audit_filters(request) -> tuple[AuditFilterForm, dict | None]:
    """The filter form and its filters; None when a filter is invalid."""
    if not request.user.has_perm("privacy.view_audit_trail"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, {}
    if not form.is_valid():
        return form, None
    return form, {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}


@login_required
def audit_trail(request):
    form, filters = _audit_filters(request)
    events = audit_events(**filters) if filters is not None else audit_events().none()
    page = Paginator(events, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "querystring": query.urlencode()}
    return render(request, "privacy/audit_trail.html", context, status=400 if filters is None else 200)


@login_required
def audit_trail_export(request):
    form, filters = _audit_filters(request)
    if filters is None:
        return HttpResponse(_("A filter is invalid: correct it on the audit trail page."), status=400)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="carrefour-audit-{stamp}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("When"), _("Who"), _("Email address"), _("Action"), _("Object type"), _("Object"), _("Detail")])
    count = 0
    for event in audit_events(**filters).iterator(chunk_size=500):
        actor = event.actor
        row = [timezone.localtime(event.at).isoformat(timespec="seconds"), actor.name if actor else ""]
        row += [actor.email if actor else "", event.action, event.object_type, event.object_id]
        row.append(json.dumps(event.detail, ensure_ascii=False))
        writer.writerow([cell_safe(v) for v in row])
        count += 1
    # Which filters were used, not their values: a name typed there is personal data.
    audit_record(actor=request.user, action="audit.export", detail={"count": count, "filters": sorted(filters)})
    return response
