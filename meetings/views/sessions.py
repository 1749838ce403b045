"""The recurrence of a series, its explicit calendar and its sessions."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.brussels import brussels_datetime_label
from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT

from .. import recurrence as rec
from ..forms.sessions import (
    CalendarDateForm,
    CalendarDateRemoveForm,
    RecurrenceForm,
    SessionCancelForm,
    SessionForm,
    add_service_errors,
)
from ..models import Series, Session
from ..notifications.schedule import session_emails
from ..origins import origins_of
from ..selectors.access import series_get_to_change, session_get_to_change
from ..selectors.sessions import session_page
from ..services import sessions as services


def _when(moment) -> str:
    return brussels_datetime_label(moment)


def _report_messages(request, report: services.RegenerationReport) -> None:
    created, removed = len(report.created), len(report.removed)
    messages.success(
        request,
        ngettext("%(count)d session created.", "%(count)d sessions created.", created) % {"count": created}
        + " "
        + ngettext("%(count)d session removed.", "%(count)d sessions removed.", removed) % {"count": removed},
    )
    if report.kept:
        messages.warning(
            request,
            _("Kept as they were (held, cancelled, extra or changed by hand): %(dates)s. Check them.")
            % {"dates": "; ".join(_when(s.starts_at) for s in report.kept)},
        )


def _preview(series: Series, form: RecurrenceForm):
    """What the form's recurrence would schedule, computed on an unsaved copy of the series."""
    draft = copy.copy(series)
    data = form.service_kwargs()
    draft.recurrence, draft.weekday, draft.start_time = data["recurrence"], data["weekday"], data["start_time"]
    draft.default_duration, draft.skip_holidays = data["duration"], data["skip_holidays"]
    draft.interval_weeks, draft.month_week = data["interval_weeks"], data["month_week"]
    return services.recurrence_preview(series=draft, language=get_language())


@login_required
def recurrence_edit(request, series_id):
    series = series_get_to_change(request.user, series_id)
    form = RecurrenceForm(request.POST or None, initial=RecurrenceForm.initial_for(series))
    preview = None
    if form.is_valid():
        if "preview" in request.POST:
            preview = _preview(series, form)
        else:
            try:
                report = services.series_set_recurrence(actor=request.user, series=series, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _report_messages(request, report)
                return redirect("meetings:series_detail", series_id=series.public_id)
    elif not form.is_bound and series.recurrence != Series.Recurrence.NONE:
        preview = services.recurrence_preview(series=series, language=get_language())
    return render(request, "meetings/recurrence_form.html", {"series": series, "form": form, "preview": preview})


@login_required
def calendar_dates(request, series_id):
    series = series_get_to_change(request.user, series_id)
    add_form = CalendarDateForm(series, request.POST if "add" in request.POST else None)
    remove_form = CalendarDateRemoveForm(series, request.POST if "remove" in request.POST else None)
    if add_form.is_valid():
        try:
            services.calendar_date_add(actor=request.user, series=series, **add_form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(add_form, exc)
        else:
            messages.success(request, _("The date was added to the calendar."))
            return redirect("meetings:calendar_dates", series_id=series.public_id)
    if remove_form.is_bound:
        if remove_form.is_valid():
            services.calendar_date_remove(actor=request.user, calendar_date=remove_form.cleaned_data["calendar_date"])
            messages.success(request, _("The date was removed from the calendar."))
        else:
            messages.error(request, _("This date is not in the calendar of this series."))
        return redirect("meetings:calendar_dates", series_id=series.public_id)
    dates = list(series.calendar_dates.select_related("host_operator"))
    names = rec.public_holidays(dates[0].date, dates[-1].date, get_language()) if dates else {}
    rows = [(d, names.get(d.date, "")) for d in dates]
    context = {"series": series, "form": add_form, "rows": rows}
    return render(request, "meetings/calendar_dates.html", context)


@login_required
def session_add(request, series_id):
    series = series_get_to_change(request.user, series_id)
    initial = {"mode": series.default_mode, "venue": series.default_venue}
    form = SessionForm(series, request.POST or None, initial=initial)
    if form.is_valid():
        try:
            session = services.session_add(actor=request.user, series=series, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was added."))
            return redirect("meetings:session_detail", session_id=session.public_id)
    return render(request, "meetings/session_form.html", {"series": series, "form": form})


@login_required
def session_detail(request, session_id):
    now = timezone.now()
    page = session_page(user=request.user, public_id=session_id, now=now)
    context = {
        "session": page.session,
        "series": page.session.series,
        "can_change": page.can_change,
        "agenda": page.agenda,
        "inforound": page.inforound,
        "followup": page.followup,
        "minutes": page.minutes,
        "fragment_timeout": FRAGMENT_TIMEOUT,
        "agenda_key": page.agenda_key,
        "followup_key": page.followup_key,
        "origins": origins_of(request.user, session=page.session),
        # The emails panel is for the coordinators (meetings.notifications
        # reads the selectors, so the page selector cannot call it).
        "emails": session_emails(session=page.session, now=now) if page.can_change else None,
    }
    return render(request, "meetings/session_detail.html", context)


@login_required
def session_edit(request, session_id):
    session = session_get_to_change(request.user, session_id)
    if session.status != Session.Status.PLANNED:
        messages.error(request, _("Only a planned session can be changed."))
        return redirect("meetings:session_detail", session_id=session.public_id)
    form = SessionForm(session.series, request.POST or None, initial=SessionForm.initial_for(session))
    if form.is_valid():
        try:
            services.session_move(actor=request.user, session=session, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was changed."))
            return redirect("meetings:session_detail", session_id=session.public_id)
    return render(request, "meetings/session_form.html", {"series": session.series, "session": session, "form": form})


@login_required
def session_cancel(request, session_id):
    session = session_get_to_change(request.user, session_id)
    if session.status != Session.Status.PLANNED:
        if request.method != "POST":
            messages.error(request, _("Only a planned session can be cancelled."))
            return redirect("meetings:session_detail", session_id=session.public_id)
        # Held or cancelled meanwhile: the reason typed comes back with why.
        form = SessionCancelForm(request.POST)
        form.is_valid()
        form.add_error(None, _("Only a planned session can be cancelled."))
        return render(request, "meetings/session_cancel.html", {"session": session, "form": form}, status=409)
    form = SessionCancelForm(request.POST or None)
    if form.is_valid():
        try:
            services.session_cancel(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was cancelled."))
            return redirect("meetings:session_detail", session_id=session.public_id)
    return render(request, "meetings/session_cancel.html", {"session": session, "form": form})
