"""Registration pages: the public page of a series, registering (signing up
first without an account), a person's registrations, and the coordinators'
lists, exports, attendance and questions."""

import uuid

from allauth.account.views import SignupView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.brussels import brussels_date
from core.services import audit_record
from meetings.calendar import session_calendar, session_registration_url

from . import selectors, services
from .exports import FORMATS, export_bytes, export_filename, registrations_table
from .forms import (
    AttendanceForm,
    CapacityForm,
    DecisionForm,
    LinkOperatorForm,
    LiveAttendanceForm,
    QuestionForm,
    RegistrationForm,
    RegistrationSignupForm,
)
from .models import ParticipantAttendance, Question, Registration
from .notifications import registration_context
from .tokens import cancel_read


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _own_page(registration: Registration):
    """To the person's page of their registration: its session's page for a
    registration to one session, the registration's page otherwise."""
    if registration.session_id is not None:
        return redirect("registrations:my_session", session_id=registration.session.public_id)
    return redirect("registrations:detail", registration_id=registration.public_id)


# --- The public side ----------------------------------------------------------


@require_safe
def open_series(request):
    series = selectors.open_series_list(request.user)
    return render(request, "registrations/open_series.html", {"series_list": series})


@require_safe
def series_public(request, series_id):
    series = selectors.series_public_get(request.user, series_id)
    page = selectors.public_page(user=request.user, series=series, now=timezone.now())
    return render(request, "registrations/series_public.html", {"page": page, "series": series})


class RegistrationSignupView(SignupView):
    """allauth's sign-up, opened only here: the generic one stays closed
    (accounts.adapter), and this one only for a series taking registrations."""

    template_name = "registrations/signup.html"
    form_class = RegistrationSignupForm

    def is_open(self):
        return True

    def get_form_class(self):
        return RegistrationSignupForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"series": self.kwargs["series"], "session": self.kwargs["session"]}

    def get_success_url(self):
        return reverse("registrations:mine")

    def get_context_data(self, **kwargs):
        login = reverse("account_login") + "?next=" + self.request.path
        return super().get_context_data(**kwargs) | {
            "series": self.kwargs["series"],
            "session": self.kwargs["session"],
            "login_url": login,
        }


registration_signup = RegistrationSignupView.as_view()


def _register(request, series, session):
    if not series.takes_registrations:
        raise Http404
    if not request.user.is_authenticated:
        return registration_signup(request, series=series, session=session)
    mine = selectors.user_registrations(request.user).get((series.pk, session.pk if session else None))
    if mine is not None:
        return _own_page(mine)
    if session is None and request.user.has_perm("meetings.view_series", series):
        messages.info(request, _("You already take part in this series."))
        return redirect("meetings:series_detail", series_id=series.public_id)
    form = RegistrationForm(request.POST or None, user=request.user, series=series)
    if form.is_valid():
        try:
            registration = services.registration_submit(
                actor=request.user, series=series, session=session, **form.service_kwargs()
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _own_page(registration)
    return render(request, "registrations/register.html", {"form": form, "series": series, "session": session})


def register(request, series_id):
    series = selectors.series_public_get(request.user, series_id)
    return _register(request, series, None)


def register_session(request, session_id):
    session = selectors.session_public_get(request.user, session_id)
    if not selectors.registrations_open(session, timezone.now()):
        messages.error(request, _("Registrations for this session are closed."))
        return redirect("registrations:series_public", series_id=session.series.public_id)
    return _register(request, session.series, session)


# --- A person's own registrations ---------------------------------------------


@login_required
@require_safe
def mine(request):
    return render(request, "registrations/mine.html", {"registrations": selectors.my_registrations(request.user)})


@login_required
@require_safe
def detail(request, registration_id):
    registration = selectors.registration_get_own(request.user, registration_id)
    if registration.session_id is not None:
        return _own_page(registration)
    return render(request, "registrations/detail.html", registration_context(registration))


@login_required
@require_safe
def my_session(request, session_id):
    """The page a person registered to one session opens (the session page is
    not theirs): when, where, how to join, how to cancel."""
    page = selectors.my_session_page(user=request.user, session_id=session_id)
    context = registration_context(page.registration) | {"page": page}
    response = render(request, "registrations/my_session.html", context)
    add_never_cache_headers(response)  # the join link is the person's
    return response


@login_required
@require_POST
def confirm(request, registration_id):
    registration = selectors.registration_get_own(request.user, registration_id)
    try:
        services.registration_confirm(actor=request.user, registration=registration)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your place is confirmed."))
    return _own_page(registration)


@login_required
@require_POST
def cancel(request, registration_id):
    registration = selectors.registration_get_own(request.user, registration_id)
    if registration.is_active:
        services.registration_cancel(actor=request.user, registration=registration)
        messages.success(request, _("Your registration is cancelled."))
    return _own_page(registration)


def cancel_by_token(request, token):
    """The link of the emails: no sign-in needed, one button to cancel."""
    try:
        registration = cancel_read(token)
    except signing.BadSignature:  # SignatureExpired included
        return render(request, "registrations/cancel_invalid.html", status=404)
    done = False
    if request.method == "POST" and registration.is_active:
        services.registration_cancel(actor=registration.user, registration=registration)
        done = True
    response = render(
        request, "registrations/cancel_by_token.html", {"registration": registration, "done": done, "token": token}
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_safe
def calendar(request, registration_id):
    registration = selectors.registration_get_own(request.user, registration_id)
    if registration.session is None or registration.status != Registration.Status.REGISTERED:
        raise Http404
    ics = session_calendar(
        registration.session, user=request.user, page_url=session_registration_url(registration.session)
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    stamp = brussels_date(registration.session.starts_at).isoformat()
    response["Content-Disposition"] = f'attachment; filename="carrefour-{stamp}.ics"'
    add_never_cache_headers(response)
    return response


# --- The coordinators' pages ----------------------------------------------------


@login_required
@require_safe
def manage(request, series_id):
    series = selectors.series_get_to_manage(request.user, series_id)
    page = selectors.manage_page(series=series, now=timezone.now())
    return render(
        request,
        "registrations/manage.html",
        # The directory's entries, read once for every participant's "link" menu.
        {"page": page, "series": series, "operators": list(LinkOperatorForm().fields["operator"].choices)},
    )


@login_required
def session_registrations(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    form = CapacityForm(request.POST or None, initial={"capacity": session.capacity})
    if form.is_valid():
        try:
            services.session_capacity_set(actor=request.user, session=session, capacity=form.cleaned_data["capacity"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The number of places is saved."))
            return redirect("registrations:session_registrations", session_id=session.public_id)
    listing = selectors.session_list(session=session)
    attendance = AttendanceForm(people=listing.registered, initial_statuses=listing.attendance)
    rows = [(r, attendance[f"person_{r.user_id}"]) for r in listing.registered]
    return render(
        request,
        "registrations/session_registrations.html",
        {"listing": listing, "session": session, "series": session.series, "form": form, "rows": rows},
    )


@login_required
@require_POST
def attendance(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    listing = selectors.session_list(session=session)
    form = AttendanceForm(request.POST, people=listing.registered, initial_statuses=listing.attendance)
    if form.is_valid():
        try:
            services.attendance_record(actor=request.user, session=session, statuses=form.statuses())
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The attendance is saved."))
    else:
        messages.error(request, _("Choose present, excused or absent."))
    return redirect("registrations:session_registrations", session_id=session.public_id)


@login_required
@require_POST
def live_attendance(request, session_id):
    """One person's attendance from the session's live page (htmx; back to
    the live page without JavaScript): the answer is the live page's "saved"."""
    session = selectors.session_get_to_manage(request.user, session_id)
    form = LiveAttendanceForm(request.POST)
    error = ""
    if form.is_valid():
        statuses = {form.cleaned_data["user"]: form.cleaned_data["status"]}
        try:
            services.attendance_record(actor=request.user, session=session, statuses=statuses)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose present, excused or absent.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("meetings:session_live", session_id=session.public_id)
    # 200 even when refused, as the operators' choices: htmx swaps in the reason.
    return render(request, "meetings/_live_attendance_status.html", {"error": error, "saved": not error})


@login_required
@require_safe
def attendance_sheet(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    listing = selectors.session_list(session=session)
    audit_record(actor=request.user, action="registrations.attendance_sheet", obj=session)
    return render(
        request,
        "registrations/attendance_sheet.html",
        {"listing": listing, "session": session, "series": session.series},
    )


@login_required
@require_safe
def export(request, series_id, fmt):
    series = selectors.series_get_to_manage(request.user, series_id)
    if fmt not in FORMATS:
        raise Http404
    session = None
    if request.GET.get("session"):
        session = series.sessions.filter(public_id=_uuid_or_404(request.GET["session"])).first()
        if session is None:
            raise Http404
    rows = list(selectors.export_rows(series=series, session=session))
    attendance = None
    if session is not None:
        labels = dict(ParticipantAttendance.Status.choices)
        attendance = {
            user_id: labels[status]
            for user_id, status in ParticipantAttendance.objects.filter(session=session).values_list(
                "user_id", "status"
            )
        }
    headers, table = registrations_table(series=series, registrations=rows, attendance=attendance)
    body = export_bytes(fmt=fmt, title=series.name, headers=headers, rows=table)
    audit_record(
        actor=request.user,
        action="registrations.export",
        obj=series,
        detail={"rows": len(table), "format": fmt, "session": session.pk if session else None},
    )
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(series=series, session=session, fmt=fmt)}"'
    )
    add_never_cache_headers(response)
    return response


def _uuid_or_404(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


def _registration_to_manage(request, registration_id) -> Registration:
    registration = Registration.objects.select_related("series").filter(public_id=registration_id).first()
    if registration is None:
        raise Http404
    selectors.series_get_to_manage(request.user, registration.series.public_id)
    return registration


@login_required
@require_POST
def decide(request, registration_id):
    registration = _registration_to_manage(request, registration_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
    else:
        try:
            services.registration_decide(
                actor=request.user, registration=registration, accept=form.cleaned_data["decision"] == "accept"
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The request is answered."))
    return redirect("registrations:manage", series_id=registration.series.public_id)


@login_required
@require_POST
def link_operator(request, registration_id):
    registration = _registration_to_manage(request, registration_id)
    form = LinkOperatorForm(request.POST)
    if form.is_valid():
        services.registration_link_operator(
            actor=request.user, registration=registration, operator=form.cleaned_data["operator"]
        )
        messages.success(request, _("The organisation is linked to the directory."))
    else:
        messages.error(request, _("Choose an organisation of the directory."))
    return redirect("registrations:manage", series_id=registration.series.public_id)


@login_required
def questions(request, series_id):
    series = selectors.series_get_to_manage(request.user, series_id)
    form = QuestionForm(request.POST or None)
    if form.is_valid():
        try:
            services.question_add(actor=request.user, series=series, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The question is added."))
            return redirect("registrations:questions", series_id=series.public_id)
    return render(
        request,
        "registrations/questions.html",
        {"series": series, "form": form, "questions": Question.objects.filter(series=series)},
    )


@login_required
@require_POST
def question_delete(request, series_id, pk):
    series = selectors.series_get_to_manage(request.user, series_id)
    question = get_object_or_404(Question, pk=pk, series=series)
    services.question_remove(actor=request.user, question=question)
    messages.success(request, _("The question is removed."))
    return redirect("registrations:questions", series_id=series.public_id)
