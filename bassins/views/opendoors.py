"""The open-doors week: open it, publish visits, browse and book them, see one's visitors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.brussels import brussels_date
from operators.selectors import bassin_municipalities

from .. import services
from ..calendar import visit_calendar
from ..forms import SlotForm, WeekFilterForm, WeekForm
from ..selectors.bassin import bassin_get
from ..selectors.opendoors import booked_slot_get, publishable_hosts, slot_get, week_days, week_get, week_page


@login_required
def week_create(request, slug):
    bassin = bassin_get(slug)
    if not request.user.has_perm("bassins.open_week", bassin):
        raise PermissionDenied
    form = WeekForm(request.POST or None)
    if form.is_valid():
        try:
            week = services.week_open(actor=request.user, bassin=bassin, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The open-doors week is open: the services of the bassin may publish visits."))
            return redirect("bassins:week", week_id=week.public_id)
    return render(request, "bassins/week_form.html", {"form": form, "bassin": bassin})


@login_required
def week_detail(request, week_id):
    week = week_get(week_id)
    form = WeekFilterForm(request.GET or None, days=week_days(week), municipalities=bassin_municipalities(week.bassin))
    page = week_page(request.user, week, **form.filters())
    return render(request, "bassins/week_detail.html", {"page": page, "week": week, "form": form})


@login_required
def slot_create(request, week_id):
    week = week_get(week_id)
    hosts = publishable_hosts(request.user, week)
    if not hosts:
        raise PermissionDenied
    form = SlotForm(request.POST or None, hosts=hosts, days=week_days(week))
    if form.is_valid():
        try:
            services.slot_publish(actor=request.user, week=week, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The visit is published."))
            return redirect("bassins:week", week_id=week.public_id)
    return render(request, "bassins/slot_form.html", {"form": form, "week": week})


@login_required
@require_POST
def slot_book(request, slot_id):
    slot = slot_get(slot_id)
    try:
        booking = services.slot_book(actor=request.user, slot=slot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if booking.status == "booked":
            messages.success(request, _("Your place is booked."))
        else:
            messages.info(request, _("The visit is full: you are on its waiting list."))
    return redirect("bassins:week", week_id=slot.week.public_id)


@login_required
@require_POST
def slot_cancel(request, slot_id):
    slot = slot_get(slot_id)
    services.booking_cancel(actor=request.user, slot=slot)
    messages.success(request, _("Your booking is cancelled."))
    return redirect("bassins:week", week_id=slot.week.public_id)


@login_required
@require_POST
def slot_confirm(request, slot_id):
    slot = slot_get(slot_id)
    try:
        services.booking_confirm(actor=request.user, slot=slot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your place is booked."))
    return redirect("bassins:week", week_id=slot.week.public_id)


@login_required
@require_POST
def slot_held(request, slot_id):
    slot = slot_get(slot_id)
    if not request.user.has_perm("bassins.host_visits", slot.host):
        raise PermissionDenied
    try:
        services.slot_confirm_held(actor=request.user, slot=slot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The visit is confirmed as held."))
    return redirect("bassins:week", week_id=slot.week.public_id)


@login_required
@require_safe
def slot_calendar(request, slot_id):
    """The calendar file of a visit the person has a place on (404 otherwise)."""
    slot = booked_slot_get(request.user, slot_id)
    response = HttpResponse(visit_calendar(slot), content_type="text/calendar; charset=utf-8")
    stamp = brussels_date(slot.starts_at).isoformat()
    response["Content-Disposition"] = f'attachment; filename="carrefour-visit-{stamp}.ics"'
    add_never_cache_headers(response)
    return response
