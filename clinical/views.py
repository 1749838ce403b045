"""The pages of clinical situations: confidential (no-store, noindex), for the
carrier group and the charter's signatories only (404 for everyone else).
Every view of a situation is written to its access log."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import (
    ChooseForm,
    ClinicalSettingsForm,
    FollowUpForm,
    MeetingOwnerForm,
    RecommendationForm,
    ReworkForm,
    SituationForm,
)
from .models import PendingText, SituationAccess
from .rules import may

Target = PendingText.Target
# What the situation's page offers, by the permission each button needs.
DETAIL_PERMS = {
    "change": "change_situation",
    "carry": "carry_situation",
    "follow": "follow_up_situation",
    "withdraw": "withdraw_situation",
    "log": "view_situation_log",
}


def confidential(view):
    """Never stored by a browser or a proxy, never indexed."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return login_required(wrapped)


def _to_situation(situation):
    return redirect("clinical:situation", situation_id=situation.public_id)


def _held(request, pending):
    messages.info(request, _("Your text is kept aside until a coordinator of the carrier group confirms it."))
    return redirect("clinical:pending", series_id=pending.series.public_id)


@confidential
def situation_list(request, series_id):
    series = selectors.series_get_for_situations(request.user, series_id)
    context = {
        "series": series,
        "situations": selectors.series_situations(request.user, series),
        "sessions": selectors.choosable_sessions(series, timezone.now())[:5],
        "carrier": may(request.user, "clinical.carry_series", series),
    }
    return render(request, "clinical/situation_list.html", context)


@confidential
def situation_propose(request, series_id):
    series = selectors.series_get_for_situations(request.user, series_id, "clinical.propose_situation")
    form = SituationForm(request.POST or None, sessions=selectors.choosable_sessions(series, timezone.now()))
    if form.is_valid():
        if form.held:
            return _held(
                request,
                services.pending_hold(actor=request.user, series=series, target=Target.PROPOSAL, values=form.values()),
            )
        try:
            situation = services.situation_propose(actor=request.user, series=series, **form.values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your situation is proposed to the carrier group."))
            return _to_situation(situation)
    return render(request, "clinical/situation_form.html", {"form": form, "series": series})


@confidential
def situation_detail(request, situation_id):
    situation = selectors.situation_get_for_user(request.user, situation_id)
    services.access_record(user=request.user, situation=situation, action=SituationAccess.Action.VIEWED)
    choose = None
    if situation.is_proposal and may(request.user, "clinical.carry_situation", situation):
        sessions = selectors.choosable_sessions(situation.series, timezone.now())
        choose = ChooseForm(initial={"version": situation.version}, sessions=sessions)
    context = {
        "situation": situation,
        "series": situation.series,
        "history": selectors.situation_history(situation),
        "services_involved": list(situation.services.order_by("name")),
        "choose_form": choose,
        "can": {name: may(request.user, f"clinical.{perm}", situation) for name, perm in DETAIL_PERMS.items()},
    }
    return render(request, "clinical/situation_detail.html", context)


@confidential
def situation_edit(request, situation_id):
    situation = selectors.situation_get_for_user(request.user, situation_id, "clinical.change_situation")
    initial = {f: getattr(situation, f) for f in ("age_range", "life_context", "services_other", "tried", "question")}
    initial |= {"preferred_session": situation.preferred_session_id, "version": situation.version}
    initial["services"] = list(situation.services.values_list("pk", flat=True))
    sessions = selectors.choosable_sessions(situation.series, timezone.now())
    form = SituationForm(request.POST or None, initial=initial, sessions=sessions)
    if form.is_valid():
        values = form.values() | {"version": form.cleaned_data["version"] or 0}
        if form.held:
            return _held(
                request,
                services.pending_hold(
                    actor=request.user, series=situation.series, target=Target.EDIT, values=values, situation=situation
                ),
            )
        try:
            services.situation_update(actor=request.user, situation=situation, **values)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The situation is saved."))
            return _to_situation(situation)
    return render(
        request, "clinical/situation_form.html", {"form": form, "series": situation.series, "situation": situation}
    )


@confidential
def situation_rework(request, situation_id):
    situation = selectors.situation_get_for_user(request.user, situation_id, "clinical.carry_situation")
    form = ReworkForm(request.POST or None, initial={"version": situation.version})
    if form.is_valid():
        try:
            services.situation_rework_ask(actor=request.user, situation=situation, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The author is asked to rework the situation."))
            return _to_situation(situation)
    return render(
        request, "clinical/text_form.html", {"form": form, "situation": situation, "title": _("Ask for a rework")}
    )


@confidential
@require_POST
def situation_choose(request, situation_id):
    situation = selectors.situation_get_for_user(request.user, situation_id, "clinical.carry_situation")
    form = ChooseForm(request.POST, sessions=selectors.choosable_sessions(situation.series, timezone.now()))
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose one of the meetings to come."))
        services.situation_choose(actor=request.user, situation=situation, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The situation is on the agenda of that meeting."))
    return _to_situation(situation)


@confidential
@require_POST
def situation_present(request, situation_id):
    situation = selectors.situation_get_for_user(request.user, situation_id, "clinical.carry_situation")
    try:
        services.situation_present(actor=request.user, situation=situation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _to_situation(situation)


def _text_page(request, situation, form_class, target, write, title):
    form = form_class(request.POST or None)
    if form.is_valid():
        if form.held:
            return _held(
                request,
                services.pending_hold(
                    actor=request.user,
                    series=situation.series,
                    target=target,
                    values=form.values(),
                    situation=situation,
                ),
            )
        try:
            write(actor=request.user, situation=situation, **form.values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return _to_situation(situation)
    return render(request, "clinical/text_form.html", {"form": form, "situation": situation, "title": title})


@confidential
def recommendation_add(request, situation_id):
    situation = selectors.situation_get_for_user(request.user, situation_id, "clinical.carry_situation")
    return _text_page(
        request,
        situation,
        RecommendationForm,
        Target.RECOMMENDATION,
        services.recommendation_add,
        _("Note an avenue or recommendation"),
    )


@confidential
def follow_up_add(request, situation_id):
    situation = selectors.situation_get_for_user(request.user, situation_id, "clinical.follow_up_situation")
    return _text_page(
        request, situation, FollowUpForm, Target.FOLLOW_UP, services.follow_up_add, _("Give a brief follow-up")
    )


@confidential
@require_POST
def situation_withdraw(request, situation_id):
    situation = selectors.situation_get_for_user(request.user, situation_id, "clinical.withdraw_situation")
    services.situation_withdraw(actor=request.user, situation=situation)
    messages.success(request, _("The texts of the situation are deleted."))
    return redirect("clinical:list", series_id=situation.series.public_id)


@confidential
def situation_log(request, situation_id):
    situation = selectors.situation_get_for_user(request.user, situation_id, "clinical.view_situation_log")
    context = {"situation": situation, "series": situation.series, "log": selectors.situation_log(situation)}
    return render(request, "clinical/situation_log.html", context)


@confidential
def access_log(request):
    if not may(request.user, "clinical.view_access_log"):
        raise PermissionDenied
    return render(request, "clinical/access_log.html", {"page": selectors.access_log_page(request.GET.get("page"))})


@confidential
def session_situations(request, session_id):
    session = selectors.session_get_for_situations(request.user, session_id)
    page = selectors.session_situations(session)
    owner_form = None
    if may(request.user, "clinical.carry_series", session.series):
        owner_form = MeetingOwnerForm(initial={"owner": page.owner}, carriers=session.series.coordinators.all())
    context = {"page": page, "series": session.series, "owner_form": owner_form}
    return render(request, "clinical/session.html", context)


@confidential
@require_POST
def session_owner(request, session_id):
    session = selectors.session_get_for_situations(request.user, session_id)
    if not may(request.user, "clinical.carry_series", session.series):
        raise Http404
    form = MeetingOwnerForm(request.POST, carriers=session.series.coordinators.all())
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a member of the carrier group."))
        services.meeting_owner_set(actor=request.user, session=session, owner=form.cleaned_data["owner"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The task owner of this meeting is saved."))
    return redirect("clinical:session", session_id=session.public_id)


@confidential
def pending_list(request, series_id):
    series = selectors.series_get_for_situations(request.user, series_id)
    context = {
        "series": series,
        "pending": selectors.pending_texts(request.user, series),
        "carrier": may(request.user, "clinical.carry_series", series),
    }
    return render(request, "clinical/pending_list.html", context)


@confidential
@require_POST
def pending_decide(request, pending_id, decision):
    pending = selectors.pending_get_for_carrier(request.user, pending_id)
    write = services.pending_confirm if decision == "confirm" else services.pending_refuse
    try:
        write(actor=request.user, pending=pending)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Confirmed: the text is written.") if decision == "confirm" else _("Refused: the text is deleted."),
        )
    return redirect("clinical:pending", series_id=pending.series.public_id)


@confidential
def settings_edit(request, series_id):
    series = selectors.series_get_for_situations(request.user, series_id, "clinical.carry_series")
    current = services.clinical_settings_for(series)
    initial = {"situations_per_session": current.situations_per_session, "retention_months": current.retention_months}
    form = ClinicalSettingsForm(request.POST or None, initial=initial | {"version": current.version})
    if form.is_valid():
        try:
            services.clinical_settings_update(actor=request.user, series=series, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("clinical:list", series_id=series.public_id)
    return render(request, "clinical/settings.html", {"form": form, "series": series})
