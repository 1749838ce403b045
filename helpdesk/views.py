"""The help desk's pages: ask, follow a request, the team's queue and the figures.

Every page of a request is confidential: no-store, logged, 404 for anyone but
its requester and its bassin's team (selectors.access.request_get_for_user).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bassins.selectors.bassin import bassin_get, bassin_list
from clinical.rules import may as clinical_may
from core.permissions import require_perm
from core.services import audit_record
from core.spreadsheets import cell_safe, xlsx_table
from meetings.models import Series
from operators.models import Operator

from .forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    ContactForm,
    HandOverForm,
    HandOverSituationForm,
    MemberForm,
    MessageForm,
    QueueFilterForm,
    RequestForm,
    StatusForm,
    VersionForm,
)
from .models import HelpDeskMember, MessageKind
from .rules import may, require
from .selectors.access import request_get_for_user
from .selectors.figures import figures_table, help_desk_figures
from .selectors.requests import QueueFilters, help_desk_get, help_desks_of, queue_page, request_page, requests_of
from .services import requests as services
from .services.handover import hand_over_link, request_hand_over_to_situation, situation_prefill
from .services.team import member_add, member_remove


@login_required
def index(request):
    context = {"bassins": bassin_list(), "mine": requests_of(request.user), "desks": help_desks_of(request.user)}
    return render(request, "helpdesk/index.html", context)


@login_required
def desk(request, slug):
    bassin = bassin_get(slug)
    context = {
        "bassin": bassin,
        "desk": help_desk_get(bassin),
        "figures": help_desk_figures(bassin),
        "is_team": may(request.user, "helpdesk.view_queue", bassin),
    }
    return render(request, "helpdesk/desk.html", context)


@login_required
@never_cache
def request_create(request, slug):
    bassin = bassin_get(slug)
    form = RequestForm(request.POST or None, user=request.user)
    if form.is_valid():
        try:
            created = services.request_submit(actor=request.user, bassin=bassin, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your request was sent to the help desk."))
            return redirect("helpdesk:request", request_id=created.public_id)
    context = {"bassin": bassin, "desk": help_desk_get(bassin), "form": form, "highlights": form.highlights()}
    return render(request, "helpdesk/request_form.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
def queue(request, slug):
    bassin = bassin_get(slug)
    require(request.user, "helpdesk.view_queue", bassin)
    team = list(HelpDeskMember.objects.filter(bassin=bassin).select_related("user"))
    form = QueueFilterForm(request.GET or None, team=team)
    data = form.cleaned_data if form.is_valid() else {}
    filters = QueueFilters(data.get("status", ""), data.get("owner", ""), bool(data.get("overdue")))
    return render(request, "helpdesk/queue.html", {"queue": queue_page(request.user, bassin, filters), "form": form})


def _hand_over_form(user, req, data=None):
    series = (
        Series.objects.filter(Q(coordinators=user) | Q(participations__operator__memberships__user=user))
        .distinct()
        .order_by("name")
    )
    operators = Operator.objects.filter(memberships__user=user).order_by("name")
    return HandOverForm(data, series=series, operators=operators, initial={"version": req.version}, prefix="handover")


def _hand_over_situation_form(user, req, data=None):
    candidates = Series.objects.filter(kind=Series.Kind.CLINICAL).filter(
        Q(coordinators=user) | Q(participations__operator__memberships__user=user)
    )
    allowed = [s.pk for s in candidates.distinct() if clinical_may(user, "clinical.propose_situation", s)]
    clinical = Series.objects.filter(pk__in=allowed).order_by("name")
    initial = {"version": req.version, **situation_prefill(req)}
    return HandOverSituationForm(data, series=clinical, initial=initial, prefix="situation")


def _detail(request, req, *, status=200, **bound):
    """The request's page, with the forms the team or the requester use (bound ones keep what was typed)."""
    page = request_page(request.user, req)
    initial = {"version": req.version}
    team = get_user_model().objects.filter(help_desk_roles__bassin_id=req.bassin_id).order_by("name")
    forms = {
        "answer_form": AnswerForm(),
        "message_form": MessageForm(initial=initial, prefix="message"),
        "assign_form": AssignForm(initial=initial, team=team, prefix="assign"),
        "status_form": StatusForm(initial=initial, prefix="status"),
        "close_form": CloseForm(initial=initial, prefix="close"),
        "contact_form": ContactForm(prefix="contact"),
    }
    if page.is_team:
        forms["hand_over_form"] = _hand_over_form(request.user, req)
        forms["situation_form"] = _hand_over_situation_form(request.user, req)
    forms |= bound
    context = {"page": page, "req": req, "handed_link": hand_over_link(request.user, req), **forms}
    response = render(request, "helpdesk/request_detail.html", context, status=status)
    return response


@login_required
@never_cache
def request_detail(request, request_id):
    req = request_get_for_user(request.user, request_id)
    services.request_access_record(actor=request.user, request=req)
    return _detail(request, req)


def _act(request, req, form_name, form, act):
    """Run `act(cleaned_data)` for a valid form; a conflict or a refusal shows the page again with the message."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except services.RequestConflict as exc:
            owner = exc.current.owner.name if exc.current.owner else _("nobody")
            messages.error(
                request,
                _("Someone else changed this request meanwhile (owner: %(owner)s). Nothing was changed: look again.")
                % {"owner": owner},
            )
            return redirect("helpdesk:request", request_id=req.public_id)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("helpdesk:request", request_id=req.public_id)
    return _detail(request, req, status=400, **{form_name: form})


def _add_errors(form, exc: ValidationError) -> None:
    """The service's refusal next to the field it names (at the top for the others)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _team_request(request, request_id):
    req = request_get_for_user(request.user, request_id)
    require(request.user, "helpdesk.work_request", req)
    return req


@login_required
@require_POST
def request_take(request, request_id):
    req = _team_request(request, request_id)
    return _act(
        request,
        req,
        "take_form",
        VersionForm(request.POST),
        lambda data: services.request_take(actor=request.user, request=req, version=data["version"]),
    )


@login_required
@require_POST
def request_assign(request, request_id):
    req = _team_request(request, request_id)
    team = get_user_model().objects.filter(help_desk_roles__bassin_id=req.bassin_id)
    form = AssignForm(request.POST, team=team, prefix="assign")
    return _act(
        request,
        req,
        "assign_form",
        form,
        lambda data: services.request_assign(
            actor=request.user, request=req, owner=data["owner"], version=data["version"]
        ),
    )


@login_required
@require_POST
def request_status(request, request_id):
    req = _team_request(request, request_id)
    return _act(
        request,
        req,
        "status_form",
        StatusForm(request.POST, prefix="status"),
        lambda data: services.request_transition(
            actor=request.user, request=req, to=data["to"], version=data["version"]
        ),
    )


@login_required
@require_POST
def request_close(request, request_id):
    req = _team_request(request, request_id)
    return _act(
        request,
        req,
        "close_form",
        CloseForm(request.POST, prefix="close"),
        lambda data: services.request_close(
            actor=request.user, request=req, outcome=data["outcome"], version=data["version"]
        ),
    )


@login_required
@require_POST
def message_add(request, request_id):
    req = request_get_for_user(request.user, request_id)
    if may(request.user, "helpdesk.work_request", req):
        return _act(
            request,
            req,
            "message_form",
            MessageForm(request.POST, prefix="message"),
            lambda data: services.message_post(
                actor=request.user, request=req, kind=data["kind"], body=data["body"], version=data["version"]
            ),
        )
    return _act(
        request,
        req,
        "answer_form",
        AnswerForm(request.POST),
        lambda data: services.message_post(actor=request.user, request=req, kind=MessageKind.ANSWER, body=data["body"]),
    )


@login_required
@require_POST
def contact_add(request, request_id):
    req = _team_request(request, request_id)
    return _act(
        request,
        req,
        "contact_form",
        ContactForm(request.POST, prefix="contact"),
        lambda data: services.contact_record(actor=request.user, request=req, **data),
    )


@login_required
@require_POST
def hand_over(request, request_id):
    req = _team_request(request, request_id)
    return _act(
        request,
        req,
        "hand_over_form",
        _hand_over_form(request.user, req, request.POST),
        lambda data: services.request_hand_over_to_need(actor=request.user, request=req, **data),
    )


@login_required
@require_POST
def hand_over_situation(request, request_id):
    req = _team_request(request, request_id)
    return _act(
        request,
        req,
        "situation_form",
        _hand_over_situation_form(request.user, req, request.POST),
        lambda data: request_hand_over_to_situation(actor=request.user, request=req, **data),
    )


@login_required
@never_cache
def team(request, slug):
    bassin = bassin_get(slug)
    require_perm(request.user, "helpdesk.manage_team", bassin)
    form = MemberForm(request.POST or None)
    if form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", _("Nobody has an account with this address."))
        else:
            member_add(actor=request.user, bassin=bassin, user=user)
            messages.success(request, _("%(name)s is now in the help-desk team.") % {"name": user.name})
            return redirect("helpdesk:team", slug=bassin.slug)
    members = HelpDeskMember.objects.filter(bassin=bassin).select_related("user")
    return render(request, "helpdesk/team.html", {"bassin": bassin, "form": form, "members": members})


@login_required
@require_POST
def team_remove(request, slug, pk):
    bassin = bassin_get(slug)
    require_perm(request.user, "helpdesk.manage_team", bassin)
    member_remove(actor=request.user, member=get_object_or_404(HelpDeskMember, pk=pk, bassin=bassin))
    messages.success(request, _("The person left the help-desk team."))
    return redirect("helpdesk:team", slug=bassin.slug)


@login_required
def figures_xlsx(request, slug):
    bassin = bassin_get(slug)
    require_perm(request.user, "helpdesk.view_figures", bassin)
    headers, rows = figures_table(help_desk_figures(bassin))
    content = xlsx_table(
        title=_("Help desk"),
        headers=[cell_safe(h) for h in headers],
        rows=[[c if isinstance(c, int | float) or c is None else cell_safe(c) for c in row] for row in rows],
    )
    audit_record(actor=request.user, action="helpdesk.figures_export", obj=bassin)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"helpdesk-{bassin.slug}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
