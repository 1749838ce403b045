"""The confidentiality charter of a series: reading and accepting it, its
coordinators' draft and versions, and who has accepted which version."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.redirects import redirect_next
from core.services import audit_record
from core.spreadsheets import cell_safe, keep_as_text

from ..forms.charter import CharterAcceptForm, CharterDraftForm, CharterRequirementForm
from ..forms.sessions import add_service_errors
from ..rendering import markdown_to_html
from ..selectors.access import series_get_for_user, series_get_to_change
from ..selectors.charter import charter_of, charter_page, signatories_page
from ..services import charter as services


@login_required
def charter(request, series_id):
    """The charter of a series as the person stands with it; they accept it here."""
    series = series_get_for_user(request.user, series_id, perm="meetings.read_charter")
    page = charter_page(user=request.user, series=series)
    form = CharterAcceptForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.charter_accept(actor=request.user, series=series, signed_name=form.cleaned_data["signed_name"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Thank you: you accepted the charter. The series is open to you."))
                return redirect_next(request, reverse("meetings:series_detail", kwargs={"series_id": series_id}))
        status = 400
    context = {"series": series, "page": page, "form": form, "today": timezone.localdate()}
    return render(request, "meetings/charter.html", context, status=status)


@login_required
@require_POST
def charter_withdraw(request, series_id):
    series = series_get_for_user(request.user, series_id, perm="meetings.read_charter")
    try:
        services.charter_withdraw(actor=request.user, series=series)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("You withdrew your acceptance: the series is closed to you until you accept again.")
        )
    return redirect("meetings:charter", series_id=series.public_id)


@login_required
def charter_edit(request, series_id):
    """Coordinators: the draft (saved, previewed or published as the next version)."""
    series = series_get_to_change(request.user, series_id)
    charter = charter_of(series) or services.charter_ensure(series=series)
    initial = {"title": charter.draft_title, "body": charter.draft_body, "revision": charter.draft_revision}
    form = CharterDraftForm(request.POST or None, initial=initial)
    preview, conflict, status = None, None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "preview":
                    preview = markdown_to_html(data["body"])
                elif data["action"] == "save":
                    services.charter_draft_save(actor=request.user, series=series, **_draft(data))
                    messages.success(request, _("The draft was saved."))
                    return redirect("meetings:charter_edit", series_id=series.public_id)
                else:
                    version = services.charter_publish(actor=request.user, series=series, **_draft(data))
                    published = _(
                        "Version %(number)s of the charter is published: everyone who takes part is asked to accept it."
                    )
                    messages.success(request, published % {"number": version.number})
                    return redirect("meetings:charter_signatories", series_id=series.public_id)
            except services.CharterConflict as exc:
                conflict, charter, status = exc.charter, exc.charter, 409
                data = request.POST.copy()
                data["revision"] = exc.charter.draft_revision  # saving again keeps this text, knowingly
                form = CharterDraftForm(data)
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
        else:
            status = 400
    context = {
        "series": series,
        "charter": charter,
        "form": form,
        "preview": preview,
        "conflict": conflict,
        "requirement_form": CharterRequirementForm(initial={"required": charter.required}),
    }
    return render(request, "meetings/charter_edit.html", context, status=status)


def _draft(data: dict) -> dict:
    return {"title": data["title"], "body": data["body"], "revision": data["revision"]}


@login_required
@require_POST
def charter_requirement(request, series_id):
    series = series_get_to_change(request.user, series_id)
    form = CharterRequirementForm(request.POST)
    form.is_valid()  # an unticked box is "not required"
    required = form.cleaned_data.get("required", False)
    services.charter_requirement_set(actor=request.user, series=series, required=required)
    if required:
        messages.success(request, _("Taking part now requires accepting the charter."))
    else:
        messages.success(request, _("Taking part no longer requires accepting the charter."))
    return redirect("meetings:charter_edit", series_id=series.public_id)


@login_required
def charter_signatories(request, series_id):
    """Coordinators: who has accepted which version."""
    series = series_get_to_change(request.user, series_id)
    page = signatories_page(series=series)
    return render(request, "meetings/charter_signatories.html", {"series": series, "page": page})


@login_required
@require_POST
def charter_remind(request, series_id):
    series = series_get_to_change(request.user, series_id)
    try:
        services.charter_remind(actor=request.user, series=series)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A reminder will be emailed to everyone who has not accepted the charter yet."))
    return redirect("meetings:charter_signatories", series_id=series.public_id)


def _signatory_rows(page) -> tuple[list[str], list[list[str]]]:
    header = [_("Name"), _("Email"), _("Operators"), _("Current version"), _("Standing")]
    header += [_("Last version accepted"), _("Signed as"), _("Accepted on")]
    rows = []
    for s in page.signatories:
        accepted = s.standing.accepted
        rows.append(
            [
                s.person.name,
                s.person.email,
                ", ".join(s.operators),
                str(page.version.number) if page.version else "",
                str(s.standing.label),
                str(accepted.version.number) if accepted else "",
                accepted.signed_name if accepted else "",
                timezone.localtime(accepted.at).strftime("%Y-%m-%d %H:%M") if accepted else "",
            ]
        )
    return header, rows


def _export(request, series_id, fmt: str) -> HttpResponse:
    series = series_get_to_change(request.user, series_id)
    page = signatories_page(series=series)
    header, rows = _signatory_rows(page)
    name = f"carrefour-charter-signatories-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.writer(response, delimiter=";")
        for row in [header, *rows]:
            writer.writerow([cell_safe(v) for v in row])
    else:
        # Imported here: openpyxl (and numpy behind it) would weigh on every worker.
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = _("Signatories")[:31]
        for row in [header, *rows]:
            sheet.append(row)
            keep_as_text(sheet[sheet.max_row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit_record(
        actor=request.user, action="charter.signatories_export", obj=series, detail={"format": fmt, "count": len(rows)}
    )
    return response


@login_required
def charter_signatories_csv(request, series_id):
    return _export(request, series_id, "csv")


@login_required
def charter_signatories_xlsx(request, series_id):
    return _export(request, series_id, "xlsx")
