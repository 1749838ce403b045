import csv
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.services import audit_record
from core.spreadsheets import cell_safe

from . import exports, services
from . import notice as privacy_notice
from .erasure import series_to_hand_over
from .forms import AccountCloseForm, AuditFilterForm, PersonEraseForm
from .models import DataExport
from .record import processing_record, processing_record_docx
from .retention import retention_apply
from .selectors import audit_events

AUDIT_PER_PAGE = 50
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def _own_export(request, public_id) -> DataExport:
    # Someone else's copy answers 404, as if it did not exist.
    return get_object_or_404(DataExport, public_id=public_id, user=request.user)


@login_required
def my_data(request):
    exports = DataExport.objects.filter(user=request.user)[:5]
    return render(request, "privacy/my_data.html", {"exports": exports})


@login_required
@require_POST
def my_data_request(request):
    services.data_export_request(user=request.user)
    messages.success(request, _("Your copy is being prepared: it stays available for a day."))
    return redirect("privacy:my_data")


@login_required
def my_data_status(request, public_id):
    export = _own_export(request, public_id)
    return render(request, "privacy/_data_export.html", {"export": export})


@login_required
def my_data_download(request, public_id):
    export = _own_export(request, public_id)
    handle = exports.data_export_open(export=export, actor=request.user)
    if handle is None:
        raise Http404
    stamp = timezone.localdate().isoformat()
    return FileResponse(handle, as_attachment=True, filename=f"carrefour-my-data-{stamp}.zip")


@login_required
def account_close(request):
    form = AccountCloseForm(request.POST if request.method == "POST" else None)
    to_hand_over = series_to_hand_over(request.user)
    if request.method == "POST" and form.is_valid() and not to_hand_over:
        try:
            services.account_close(user=request.user, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            logout(request)
            messages.success(request, _("Your account is closed. Thank you for taking part."))
            return redirect("privacy:notice")
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/account_close.html", {"form": form, "to_hand_over": to_hand_over}, status=status)


@login_required
def person_erase(request, pk):
    if not request.user.has_perm("privacy.erase_person"):
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=pk)
    form = PersonEraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_close(user=person, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The account is closed; a pseudonym replaces the name."))
            return redirect(f"{reverse('privacy:audit_trail')}?action=account.erase")
    context = {"form": form, "person": person, "to_hand_over": series_to_hand_over(person)}
    return render(request, "privacy/person_erase.html", context, status=400 if request.method == "POST" else 200)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def retention_preview(request):
    """The retention rules' dry run for admins: how many rows each rule would
    remove now, and which accounts it would warn, deactivate or erase (the admins
    manage accounts); nothing changes. The audit trail keeps the counts only."""
    if not request.user.has_perm("privacy.preview_retention"):
        raise PermissionDenied
    counts = accounts = None
    if request.method == "POST":
        report = retention_apply(dry_run=True)
        counts = report.counts()
        accounts = {
            "warned": report.warned,
            "deactivated": report.deactivated,
            "erased": report.erased,
        }
        audit_record(actor=request.user, action="retention.dry_run", detail=counts)
    context = {"counts": counts, "accounts": accounts, "rules": privacy_notice.retention_rows()}
    return render(request, "privacy/retention_preview.html", context)


def _record_reader(request) -> None:
    if not request.user.has_perm("privacy.view_processing_record"):
        raise PermissionDenied


@never_cache
@login_required
@require_safe
def processing_record_page(request):
    """The record of processing activities (GDPR art. 30), as the configuration has it."""
    _record_reader(request)
    return render(request, "privacy/processing_record.html", {"record": processing_record()})


@never_cache
@login_required
@require_safe
def processing_record_download(request):
    _record_reader(request)
    content = processing_record_docx(processing_record())
    audit_record(actor=request.user, action="processing_record.download")
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="carrefour-processing-record-{stamp}.docx"'
    return response
