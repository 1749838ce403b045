"""Consultation pages: a participant's contributions, the coordinators' board (record,
paste, themes, merge, answers), the synthesis (compose, preview, publish, read, files)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.services import audit_record
from meetings.models import Visibility

from . import exports, selectors, services
from .forms import (
    AnswerForm,
    ContributionForm,
    MergeForm,
    MoveForm,
    PasteForm,
    RecordForm,
    SynthesisForm,
    ThemeEditForm,
    ThemeForm,
)
from .models import Forward, Theme


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _to_board(session, request=None):
    url = redirect("consultations:board", session_id=session.public_id).url
    query = request.POST.get("back", "") if request else ""
    return redirect(url + query if query.startswith("?") and len(query) < 100 else url)


# --- The series ---------------------------------------------------------------


@require_safe
def series_page(request, series_id):
    series = selectors.series_get_to_read(request.user, series_id)
    public = not request.user.has_perm("meetings.view_series", series)
    overview = selectors.series_overview(series, page=request.GET.get("page", 1), public=public)
    context = {"overview": overview, "series": series}
    if request.user.has_perm("consultations.manage_series", series):
        context["questions"] = selectors.registration_questions(series)
    return render(request, "consultations/series.html", context)


@login_required
@require_POST
def contribution_question(request, series_id):
    """Make one of the series' registration questions the one whose answers become contributions."""
    series = selectors.series_get_to_read(request.user, series_id)
    if not request.user.has_perm("consultations.manage_series", series):
        raise PermissionDenied
    chosen = request.POST.get("question", "")
    question = (
        series.registration_questions.filter(pk=int(chosen)).first()
        if chosen.isascii() and chosen.isdigit() and len(chosen) < 10
        else None
    )
    try:
        if question is None:
            raise ValidationError(_("Choose one of the series' questions."))
        services.contribution_question_set(actor=request.user, question=question, kind=request.POST.get("kind", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Its answers will become contributions."))
    return redirect("consultations:series", series_id=series.public_id)


# --- A participant's contributions ----------------------------------------------


@login_required
@never_cache
def session_page(request, session_id):
    session = selectors.session_get_to_contribute(request.user, session_id)
    form = ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_submit(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Your contribution is recorded."))
            return redirect("consultations:session", session_id=session.public_id)
    context = {
        "session": session,
        "form": form,
        "mine": selectors.my_contributions(request.user, session),
        "is_open": selectors.collection_open(session),
        "may_manage": request.user.has_perm("consultations.manage_session", session),
    }
    return render(request, "consultations/session.html", context)


@login_required
@never_cache
def contribution_edit(request, contribution_id):
    contribution = selectors.contribution_get_for_author(request.user, contribution_id)
    initial = {"kind": contribution.kind, "text": contribution.text}
    form = ContributionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_edit(actor=request.user, contribution=contribution, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Your contribution is changed."))
            return redirect("consultations:session", session_id=contribution.session.public_id)
    return render(request, "consultations/contribution_edit.html", {"form": form, "contribution": contribution})


@login_required
@require_POST
def contribution_withdraw(request, contribution_id):
    contribution = selectors.contribution_get_for_author(request.user, contribution_id)
    try:
        services.contribution_withdraw(actor=request.user, contribution=contribution)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your contribution is withdrawn."))
    return redirect("consultations:session", session_id=contribution.session.public_id)


# --- The coordinators' board ----------------------------------------------------


def _board_context(request, session, **forms):
    board = selectors.board(session, page=request.GET.get("page", 1), theme=request.GET.get("theme", ""))
    return {
        "board": board,
        "session": session,
        "record_form": forms.get("record_form") or RecordForm(),
        "theme_form": forms.get("theme_form") or ThemeForm(),
        "move_form": MoveForm(session=session),
        "statuses": AnswerForm.base_fields["status"].choices,
        "query": request.GET.urlencode(),
        "follow_up": selectors.follow_up(session),
    }


@login_required
@never_cache
@require_safe
def board(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    return render(request, "consultations/board.html", _board_context(request, session))


@login_required
@never_cache
@require_POST
def record(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            services.contribution_record(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The contribution is recorded."))
            return _to_board(session)
    return render(request, "consultations/board.html", _board_context(request, session, record_form=form), status=400)


@login_required
@never_cache
def paste(request, session_id):
    """Paste a list: the first submission shows what will be recorded, the second (confirm) saves it."""
    session = selectors.session_get_to_manage(request.user, session_id)
    form = PasteForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            if "confirm" in request.POST:
                saved = services.contributions_paste_save(actor=request.user, session=session, **form.cleaned_data)
                messages.success(request, _("%(n)s contributions recorded.") % {"n": len(saved)})
                return _to_board(session)
            preview = services.contributions_paste_parse(text=form.cleaned_data["text"])
        except ValidationError as exc:
            _form_errors(form, exc)
    status = 400 if form.errors else 200
    return render(
        request, "consultations/paste.html", {"form": form, "session": session, "preview": preview}, status=status
    )


@login_required
@require_POST
def collection(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    services.collection_set(actor=request.user, session=session, is_open=request.POST.get("open") == "1")
    return _to_board(session)


@login_required
@never_cache
@require_POST
def theme_create(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            services.theme_create(actor=request.user, session=session, name=form.cleaned_data["name"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _to_board(session)
    return render(request, "consultations/board.html", _board_context(request, session, theme_form=form), status=400)


def _theme(request, session_id, pk) -> Theme:
    session = selectors.session_get_to_manage(request.user, session_id)
    return get_object_or_404(Theme.objects.select_related("session__series"), session=session, pk=pk)


@login_required
@never_cache
def theme_edit(request, session_id, pk):
    theme = _theme(request, session_id, pk)
    initial = {"name": theme.name, "statement": theme.statement, "version": theme.version}
    form = ThemeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(actor=request.user, theme=theme, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
            theme.refresh_from_db()
            form.data = form.data.copy() | {"version": theme.version}
        else:
            return _to_board(theme.session)
    status = 409 if form.errors and form.non_field_errors() else (400 if form.errors else 200)
    return render(request, "consultations/theme_edit.html", {"form": form, "theme": theme}, status=status)


@login_required
@require_POST
def theme_move(request, session_id, pk):
    theme = _theme(request, session_id, pk)
    if request.POST.get("delete") == "1":
        services.theme_delete(actor=request.user, theme=theme)
    else:
        services.theme_move(actor=request.user, theme=theme, direction=request.POST.get("direction", ""))
    return _to_board(theme.session)


@login_required
@require_POST
def item_move(request, contribution_id):
    item = selectors.item_get_to_manage(request.user, contribution_id)
    if request.POST.get("direction") in ("up", "down"):
        services.item_move(actor=request.user, item=item, theme=item.theme, direction=request.POST["direction"])
        return _to_board(item.session, request)
    form = MoveForm(request.POST, session=item.session)
    if not form.is_valid():
        messages.error(request, _("Choose one of this session's themes."))
    else:
        services.item_move(actor=request.user, item=item, theme=form.cleaned_data["theme"])
    return _to_board(item.session, request)


@login_required
@never_cache
def item_answer(request, contribution_id):
    item = selectors.item_get_to_manage(request.user, contribution_id)
    form = AnswerForm(request.POST or None, initial={"status": item.status, "reason": item.reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.item_answer(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The answer is saved."))
            return _to_board(item.session, request)
    status = 400 if form.errors else 200
    targets = list(selectors.forward_targets(request.user, item.session.series))
    context = {"form": form, "item": item, "targets": targets, "operators": selectors.forward_operators(targets)}
    return render(request, "consultations/item_answer.html", context, status=status)


def _digits(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@login_required
@require_POST
def item_forward(request, contribution_id):
    item = selectors.item_get_to_manage(request.user, contribution_id)
    targets = list(selectors.forward_targets(request.user, item.session.series))
    chosen = _digits(request.POST.get("series", ""))
    target = next((s for s in targets if s.pk == chosen), None)
    kind = request.POST.get("kind", Forward.As.AGENDA)
    operator = None
    try:
        if target is None:
            raise ValidationError(_("Choose one of the series you coordinate."))
        if kind == Forward.As.NEED:
            operators = dict(selectors.forward_operators([target]))[target]
            operator = next((o for o in operators if o.pk == _digits(request.POST.get("operator", ""))), None)
            if operator is None:
                message = _("Choose an operator that takes part in “%(series)s”.")
                raise ValidationError(message % {"series": target.name})
        forward = services.item_forward(actor=request.user, item=item, series=target, kind=kind, operator=operator)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if forward.kind == Forward.As.NEED:
            messages.success(request, _("Raised as a cooperation need in “%(series)s”.") % {"series": target.name})
        else:
            messages.success(request, _("Proposed on the agenda of “%(series)s”.") % {"series": target.name})
    return redirect("consultations:item_answer", contribution_id=item.public_id)


@login_required
@require_POST
def follow_up_add(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    try:
        services.follow_up_add(actor=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The follow-up is on this session's agenda."))
    return _to_board(session)


@login_required
@require_POST
def items_merge(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    form = MergeForm(request.POST, session=session)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose at least two items to merge."))
        services.items_merge(actor=request.user, items=list(form.cleaned_data["items"]), text=form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The items are merged."))
    return _to_board(session, request)


# --- The synthesis ---------------------------------------------------------------


@login_required
@never_cache
def synthesis_edit(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    synthesis = selectors.synthesis_get(session)
    initial = {name: getattr(synthesis, name) for name in services.SYNTHESIS_FIELDS} | {"version": synthesis.version}
    form = SynthesisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.synthesis_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The synthesis is saved."))
            return redirect("consultations:synthesis", session_id=session.public_id)
    status = 409 if form.non_field_errors() else (400 if form.errors else 200)
    context = {"form": form, "session": session, "synthesis": selectors.synthesis_get(session)}
    return render(request, "consultations/synthesis_edit.html", context, status=status)


@login_required
@require_POST
def synthesis_publish(request, session_id):
    session = selectors.session_get_to_manage(request.user, session_id)
    services.synthesis_publish(actor=request.user, session=session)
    messages.success(request, _("The synthesis is published."))
    return redirect("consultations:synthesis", session_id=session.public_id)


@require_safe
def synthesis(request, session_id):
    session, may_manage = selectors.synthesis_get_for_user(request.user, session_id)
    document = selectors.synthesis_document(session)
    context = {
        "doc": document,
        "may_manage": may_manage,
        "title": exports.synthesis_title(document),
        "next_label": exports.next_session_label(document),
    }
    response = render(request, "consultations/synthesis.html", context)
    _private(response, session)
    return response


@require_safe
def synthesis_file(request, session_id, fmt):
    session, _may_manage = selectors.synthesis_get_for_user(request.user, session_id)
    if fmt not in exports.FORMATS:
        return HttpResponse(status=404)
    document = selectors.synthesis_document(session)
    body, content_type, filename = exports.synthesis_file(document, fmt)
    if request.user.is_authenticated:
        audit_record(actor=request.user, action="synthesis.export", obj=document.synthesis, detail={"format": fmt})
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    _private(response, session)
    return response


def _private(response, session) -> None:
    """A synthesis of a series that is not public stays out of shared caches (Cache-Control: no-store)."""
    if session.series.visibility != Visibility.PUBLIC or not selectors.synthesis_get(session).is_published:
        add_never_cache_headers(response)
