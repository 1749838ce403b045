"""The session run live by its coordinators: agenda and timer, notes per
item (autosaved, never overwriting someone else's text), attendance,
decisions, actions and needs recorded without leaving the page, and the end
of the meeting.

Every write answers an htmx partial; without JavaScript the forms post and
come back to the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import typed_texts

from ..forms.minutes import ActionForm, AttendanceForm, DecisionForm, NeedForm, NextItemForm, NotesForm
from ..forms.sessions import add_service_errors
from ..models import AgendaItem, Session
from ..selectors.access import session_get_to_change, session_operators
from ..selectors.live import active_memberships, live_page
from ..services import actions as action_services
from ..services import minutes as services
from ..services import needs as need_services


def _back(session: Session):
    return redirect("meetings:session_live", session_id=session.public_id)


def _live_page(request, session: Session, refused_form=None):
    """The live page; with `refused_form` (a post without JavaScript that was
    refused), it says why at its top and gives back the typed text to copy."""
    context = live_page(user=request.user, session=session)
    operators, members = context["operators"], context["members"]
    context |= {
        "decision_form": DecisionForm(session),
        "action_form": ActionForm(session, operators, members),
        "need_form": NeedForm(operators),
        "form": refused_form,
        "refused": typed_texts(refused_form) if refused_form is not None else [],
    }
    return render(request, "meetings/live.html", context, status=200 if refused_form is None else 400)


@login_required
def session_live(request, session_id):
    session = session_get_to_change(request.user, session_id)
    if request.htmx and request.GET.get("part") == "agenda":
        # The page refreshes its agenda now and then: another coordinator may have moved on.
        return render(
            request, "meetings/_live_agenda.html", live_page(user=request.user, session=session, parts=("agenda",))
        )
    return _live_page(request, session)


def _agenda_response(request, session: Session, error: str = ""):
    if not request.htmx:
        if error:
            messages.error(request, error)
        return _back(session)
    session.refresh_from_db(fields=["current_item", "status"])
    context = live_page(user=request.user, session=session, parts=("agenda",)) | {"agenda_error": error}
    return render(request, "meetings/_live_agenda.html", context)


@login_required
@require_POST
def live_item_start(request, session_id, item_id):
    session = session_get_to_change(request.user, session_id)
    item = get_object_or_404(AgendaItem, pk=item_id, session=session)
    error = ""
    try:
        services.agenda_item_start(actor=request.user, item=item)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _agenda_response(request, session, error)


@login_required
@require_POST
def live_next_item(request, session_id):
    session = session_get_to_change(request.user, session_id)
    form = NextItemForm(request.POST)
    current = form.cleaned_data["current"] if form.is_valid() else session.current_item_id
    error = ""
    try:
        services.agenda_next_item(actor=request.user, session=session, seen_current=current)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _agenda_response(request, session, error)


@login_required
@require_POST
def live_notes_save(request, session_id, item_id):
    session = session_get_to_change(request.user, session_id)
    item = get_object_or_404(AgendaItem.objects.select_related("notes_updated_by"), pk=item_id, session=session)
    form = NotesForm(request.POST)
    context = {"session": session, "item": item, "form": form}
    if form.is_valid():
        notes, version = form.cleaned_data["notes"], form.cleaned_data["version"]
        try:
            item = services.agenda_item_notes_save(actor=request.user, item=item, notes=notes, version=version)
        except services.NotesConflict as exc:
            conflict_context = context | {"item": exc.current, "yours": notes, "conflict": True}
            if not request.htmx:
                return render(request, "meetings/live_notes_conflict.html", conflict_context)
            response = render(request, "meetings/_live_notes_card.html", conflict_context)
            response["HX-Retarget"] = f"#notes-card-{item.pk}"
            response["HX-Reswap"] = "outerHTML"
            return response
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            context |= {"item": item, "saved": True}
    if not request.htmx:
        if form.errors:
            return _live_page(request, session, refused_form=form)
        return _back(session)
    if "merge" in request.POST and not form.errors:
        return render(request, "meetings/_live_notes_card.html", context)
    return render(request, "meetings/_live_notes_meta.html", context)


@login_required
@require_POST
def live_attendance(request, session_id):
    session = session_get_to_change(request.user, session_id)
    operators = session_operators(session)
    form = AttendanceForm(operators, active_memberships([op.pk for op in operators]), request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.attendance_record(
                actor=request.user, session=session, operator=data["operator"], user=data["user"], status=data["status"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return _back(session)
    return render(request, "meetings/_live_attendance_status.html", {"error": error, "saved": not error})


def _record(request, session: Session, form, record, blank, part: str, form_name: str):
    """Validate `form`, call `record(cleaned_data)`, answer the list partial
    `part` with a blank form on success, or with the form and its errors."""
    added = False
    if form.is_valid():
        try:
            record(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            added, form = True, blank()
    if not request.htmx:
        if not added:
            return _live_page(request, session, refused_form=form)
        return _back(session)
    context = live_page(user=request.user, session=session, parts=(part,)) | {form_name: form, "just_added": added}
    return render(request, f"meetings/_live_{part}.html", context)


@login_required
@require_POST
def live_decision_add(request, session_id):
    session = session_get_to_change(request.user, session_id)
    form = DecisionForm(session, request.POST)

    def record(data):
        action_services.decision_record(
            actor=request.user, session=session, text=data["text"], agenda_item=data["agenda_item"]
        )

    return _record(request, session, form, record, lambda: DecisionForm(session), "decisions", "decision_form")


@login_required
@require_POST
def live_action_add(request, session_id):
    session = session_get_to_change(request.user, session_id)
    operators = session_operators(session)
    members = active_memberships([op.pk for op in operators])
    form = ActionForm(session, operators, members, request.POST)

    def record(data):
        action_services.action_record(actor=request.user, session=session, **data)

    def blank():
        return ActionForm(session, operators, members)

    return _record(request, session, form, record, blank, "actions", "action_form")


@login_required
@require_POST
def live_need_add(request, session_id):
    session = session_get_to_change(request.user, session_id)
    operators = session_operators(session)
    form = NeedForm(operators, request.POST)

    def record(data):
        need_services.need_raise(
            actor=request.user,
            series=session.series,
            operator=data["raised_by"],
            title=data["title"],
            description=data["description"],
            themes=data["themes"],
            session=session,
        )

    return _record(request, session, form, record, lambda: NeedForm(operators), "needs", "need_form")


@login_required
@require_POST
def session_end(request, session_id):
    session = session_get_to_change(request.user, session_id)
    try:
        services.session_end(actor=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(session)
    messages.success(request, _("The meeting is over. The minutes were drafted from what was recorded."))
    return redirect("meetings:minutes_detail", session_id=session.public_id)
