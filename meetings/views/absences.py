"""Absences (a person's or an operator's) and a series' closed periods: what the info-round chasing respects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms.absences import AbsenceForm, AbsenceWithdrawForm, ClosureForm, ClosureRemoveForm
from ..forms.sessions import add_service_errors
from ..selectors.absences import absences_for_user
from ..selectors.access import series_get_to_change
from ..services import absences as services


@login_required
def absences(request):
    form = AbsenceForm(request.user, request.POST or None)
    if form.is_valid():
        try:
            services.absence_declare(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The absence is recorded: the info-round emails follow it."))
            return redirect("meetings:absences")
    rows = [
        (absence, request.user.has_perm("meetings.change_absence", absence))
        for absence in absences_for_user(request.user, today=timezone.localdate())
    ]
    return render(request, "meetings/absences.html", {"form": form, "rows": rows})


@login_required
@require_POST
def absence_withdraw(request):
    form = AbsenceWithdrawForm(absences_for_user(request.user, today=timezone.localdate()), request.POST)
    if not form.is_valid():
        messages.error(request, _("This absence is not among yours."))
        return redirect("meetings:absences")
    try:
        services.absence_withdraw(actor=request.user, absence=form.cleaned_data["absence"])
    except PermissionDenied:
        messages.error(request, _("Only who declared for this operator or person may withdraw it."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The absence is withdrawn."))
    return redirect("meetings:absences")


@login_required
def series_closures(request, series_id):
    series = series_get_to_change(request.user, series_id)
    add_form = ClosureForm(request.POST if "add" in request.POST else None)
    remove_form = ClosureRemoveForm(series, request.POST if "remove" in request.POST else None)
    if add_form.is_valid():
        try:
            services.series_closure_add(actor=request.user, series=series, **add_form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(add_form, exc)
        else:
            messages.success(request, _("The closed period is added: nobody is chased during it."))
            return redirect("meetings:series_closures", series_id=series.public_id)
    if remove_form.is_bound:
        if remove_form.is_valid():
            services.series_closure_remove(actor=request.user, closure=remove_form.cleaned_data["closure"])
            messages.success(request, _("The closed period is removed."))
        else:
            messages.error(request, _("This period is not among those of this series."))
        return redirect("meetings:series_closures", series_id=series.public_id)
    context = {"series": series, "form": add_form, "closures": series.closures.order_by("-starts_on")}
    return render(request, "meetings/series_closures.html", context)
