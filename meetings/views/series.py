from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import user_operator_roles
from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from core.links import absolute_url
from operators.models import MembershipRole, Operator

from ..forms.charter import JoinRequestCharterForm
from ..forms.series import (
    JoinRequestDecisionForm,
    JoinRequestForm,
    ParticipationAddForm,
    SeriesCreateForm,
    SeriesForm,
)
from ..models import JoinRequest, Participation
from ..selectors.access import series_get_for_user, series_get_to_change
from ..selectors.charter import charter_to_accept, series_held_by_charter
from ..selectors.series import series_for_user, series_open_to_user, series_page
from ..services import charter as charter_services
from ..services import series as services


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _form_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def series_list(request):
    my_series = series_for_user(request.user).prefetch_related("organisations")
    referent_of = [op for op, role in user_operator_roles(request.user).items() if role == MembershipRole.REFERENT]
    my_requests = JoinRequest.objects.filter(operator_id__in=referent_of).select_related("series", "operator")[:20]
    return render(
        request,
        "meetings/series_list.html",
        {
            "my_series": my_series,
            "open_series": series_open_to_user(request.user),
            "my_requests": my_requests,
            "charters_to_accept": series_held_by_charter(request.user),
            "can_create": request.user.has_perm("meetings.add_series"),
        },
    )


@login_required
def series_create(request):
    _require(request, "meetings.add_series")
    form = SeriesCreateForm(request.POST or None)
    if form.is_valid():
        try:
            series = services.series_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("The series was created. Next: propose slots to the operators, or set the recurrence.")
            )
            return redirect("meetings:series_detail", series_id=series.public_id)
    return render(request, "meetings/series_form.html", {"form": form})


@login_required
def series_detail(request, series_id):
    series = series_get_for_user(request.user, series_id)
    page = series_page(user=request.user, series=series, now=timezone.now())
    feed_url = ""
    if page.is_coordinator:
        feed_path = reverse("meetings:series_feed", kwargs={"series_id": series.public_id, "token": series.feed_token})
        feed_url = absolute_url(feed_path)
    context = {"page": page, "series": series, "series_feed_url": feed_url, "fragment_timeout": FRAGMENT_TIMEOUT}
    return render(request, "meetings/series_detail.html", context)


@login_required
def series_edit(request, series_id):
    series = series_get_to_change(request.user, series_id)
    form = SeriesForm(request.POST or None, instance=series)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["coordinators"] = list(data.get("coordinators") or [])
        try:
            services.series_update(actor=request.user, series=series, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The series was saved."))
            return redirect("meetings:series_detail", series_id=series.public_id)
    return render(request, "meetings/series_form.html", {"form": form, "series": series})


@login_required
def participants(request, series_id):
    series = series_get_to_change(request.user, series_id)
    form = ParticipationAddForm(request.POST or None, series=series)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_add(
                actor=request.user,
                series=series,
                operator=form.cleaned_data["operator"],
                since=form.cleaned_data["since"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("%(operator)s now takes part in the series.") % {"operator": form.cleaned_data["operator"]}
            )
            return redirect("meetings:participants", series_id=series.public_id)
    history = series.participations.select_related("operator", "via_request").order_by("until", "operator__name")
    return render(request, "meetings/participants.html", {"series": series, "form": form, "participations": history})


@login_required
@require_POST
def participation_end(request, series_id, pk):
    series = series_get_to_change(request.user, series_id)
    participation = get_object_or_404(Participation.objects.select_related("operator", "series"), pk=pk, series=series)
    if participation.until is None:
        services.participation_end(actor=request.user, participation=participation)
        messages.success(
            request, _("%(operator)s no longer takes part in the series.") % {"operator": participation.operator}
        )
    return redirect("meetings:participants", series_id=series.public_id)


@login_required
def join_request_create(request, series_id):
    series = series_open_to_user(request.user).filter(public_id=series_id).first()
    if series is None:
        raise Http404
    referent_of = [op for op, role in user_operator_roles(request.user).items() if role == MembershipRole.REFERENT]
    current = series.participations.filter(until__isnull=True).values("operator_id")
    operators = Operator.objects.filter(pk__in=referent_of, is_active=True).exclude(pk__in=current).order_by("name")
    # A series that requires its charter shows it here, and the referent accepts it as they ask.
    charter_version = charter_to_accept(series=series)
    if charter_version is None:
        form = JoinRequestForm(request.POST or None, operators=operators)
    else:
        form = JoinRequestCharterForm(request.POST or None, operators=operators, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            charter_services.join_request_with_charter(
                actor=request.user,
                series=series,
                operator=data["operator"],
                message=data["message"],
                signed_name=data.get("signed_name"),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to the coordinators."))
            return redirect("meetings:join_request_create", series_id=series.public_id)
    requests_made = series.join_requests.filter(operator_id__in=referent_of).select_related("operator")
    return render(
        request,
        "meetings/join_request_form.html",
        {
            "series": series,
            "form": form,
            "requests_made": requests_made,
            "organisations": series.organisations.all(),
            "charter_version": charter_version,
            "today": timezone.localdate(),
        },
    )


@login_required
def join_request_list(request, series_id):
    series = series_get_to_change(request.user, series_id)
    join_requests = series.join_requests.select_related("operator", "requested_by", "decided_by").order_by(
        "-status", "-created_at"
    )
    pending = [r for r in join_requests if r.status == JoinRequest.Status.PENDING]
    decided = [r for r in join_requests if r.status != JoinRequest.Status.PENDING]
    return render(
        request, "meetings/join_request_list.html", {"series": series, "pending": pending, "decided": decided}
    )


@login_required
def join_request_decide(request, series_id, pk):
    series = series_get_to_change(request.user, series_id)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("operator", "requested_by"), pk=pk, series=series
    )
    form = JoinRequestDecisionForm(request.POST or None)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.join_request_decide(
                actor=request.user, join_request=join_request, accept=accept, reply=form.cleaned_data["reply"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if accept:
                messages.success(
                    request, _("%(operator)s now takes part in the series.") % {"operator": join_request.operator}
                )
            else:
                messages.success(request, _("The request was declined."))
            return redirect("meetings:join_request_list", series_id=series.public_id)
    return render(
        request, "meetings/join_request_decide.html", {"series": series, "join_request": join_request, "form": form}
    )
