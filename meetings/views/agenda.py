"""The agenda template of a series (its versions, the draft being prepared)
and the agenda of one session."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ..forms.agenda import AgendaItemForm, MoveForm, PublishForm, QuestionForm, SessionAgendaItemForm
from ..forms.sessions import add_service_errors
from ..models import AgendaItem, AgendaTemplate, AgendaTemplateItem, InfoRoundQuestion, Series, Session
from ..selectors.access import series_get_for_user, series_get_to_change, session_get_to_change
from ..selectors.agenda import (
    agenda_template_changes,
    agenda_template_draft,
    agenda_template_history,
    agenda_template_with_content,
    session_agenda_summary,
)
from ..services import agenda as services


def _draft_or_404(series: Series) -> AgendaTemplate:
    draft = agenda_template_draft(series)
    if draft is None:
        raise Http404
    draft.series = series
    return draft


def _draft_url(series: Series, anchor: str = "") -> str:
    return reverse("meetings:agenda_draft", kwargs={"series_id": series.public_id}) + anchor


# --- The template and its versions -------------------------------------------


@login_required
def agenda_template(request, series_id):
    series = series_get_for_user(request.user, series_id)
    can_change = request.user.has_perm("meetings.change_series", series)
    history = agenda_template_history(series=series)
    if not history:  # a series made before templates existed: give it v1 once
        services.agenda_template_ensure(series=series)
        history = agenda_template_history(series=series)
    context = {
        "series": series,
        "can_change": can_change,
        "current": history[0] if history else None,
        "history": history,
        "draft": agenda_template_draft(series) if can_change else None,
    }
    return render(request, "meetings/agenda_template.html", context)


@login_required
@require_POST
def agenda_template_prepare(request, series_id):
    series = series_get_to_change(request.user, series_id)
    draft = services.agenda_template_prepare(actor=request.user, series=series)
    messages.success(request, _("Version %(version)d is being prepared.") % {"version": draft.version})
    return redirect(_draft_url(series))


@login_required
def agenda_draft(request, series_id):
    """The draft version: its items and questions, what it changes, and publishing it."""
    series = series_get_to_change(request.user, series_id)
    draft = agenda_template_with_content(_draft_or_404(series).pk)
    form = PublishForm(request.POST or None)
    if form.is_valid():
        try:
            report = services.agenda_template_publish(
                actor=request.user, template=draft, change_note=form.cleaned_data["change_note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            updated = len(report.updated)
            messages.success(
                request,
                _("Version %(version)d is published.") % {"version": draft.version}
                + " "
                + ngettext(
                    "%(count)d session to come now follows it.", "%(count)d sessions to come now follow it.", updated
                )
                % {"count": updated},
            )
            if report.kept:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d session to come keeps its agenda: changed by hand, or its info round has started.",
                        "%(count)d sessions to come keep their agenda: changed by hand, or their info round has "
                        "started.",
                        len(report.kept),
                    )
                    % {"count": len(report.kept)},
                )
            return redirect("meetings:agenda_template", series_id=series.public_id)
    history = agenda_template_history(series=series)
    current = history[0].template if history else None
    items = list(draft.items.all())
    context = {
        "series": series,
        "draft": draft,
        "items": items,
        "questions": list(draft.questions.all()),
        "total_minutes": sum(i.timebox for i in items),
        "current": current,
        "changes": agenda_template_changes(current, draft),
        "sessions_to_come": services.agenda_template_sessions_to_come(template=draft),
        "form": form,
    }
    return render(request, "meetings/agenda_draft.html", context)


@login_required
@require_POST
def agenda_draft_discard(request, series_id):
    series = series_get_to_change(request.user, series_id)
    draft = _draft_or_404(series)
    services.agenda_template_discard(actor=request.user, template=draft)
    messages.success(request, _("The draft version was discarded."))
    return redirect("meetings:agenda_template", series_id=series.public_id)


def _row_form_page(request, *, series, session=None, form, heading, back_url):
    context = {"series": series, "session": session, "form": form, "heading": heading, "back_url": back_url}
    return render(request, "meetings/agenda_item_form.html", context)


def _saved(request, form, save, success: str) -> bool:
    """Whether `form` is valid and `save(**form.service_kwargs())` went through
    (then `success` is flashed); the service's errors go on the form's fields."""
    if not form.is_valid():
        return False
    try:
        save(**form.service_kwargs())
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, success)
    return True


def _done(request, action, success: str = "") -> None:
    """Run `action`; flash its refusal (a ValidationError) or `success`."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if success:
            messages.success(request, success)


def _direction(request) -> str | None:
    form = MoveForm(request.POST)
    return form.cleaned_data["direction"] if form.is_valid() else None


@login_required
def agenda_draft_item_add(request, series_id):
    series = series_get_to_change(request.user, series_id)
    draft = _draft_or_404(series)
    form = AgendaItemForm(request.POST or None, initial={"timebox": 10})
    save = partial(services.template_item_add, actor=request.user, template=draft)
    if _saved(request, form, save, _("The item was added.")):
        return redirect(_draft_url(series, "#items-heading"))
    heading = _("Add an item to version %(version)d") % {"version": draft.version}
    return _row_form_page(request, series=series, form=form, heading=heading, back_url=_draft_url(series))


@login_required
def agenda_draft_item_edit(request, series_id, pk):
    series = series_get_to_change(request.user, series_id)
    item = get_object_or_404(AgendaTemplateItem, pk=pk, template=_draft_or_404(series))
    form = AgendaItemForm(request.POST or None, initial=AgendaItemForm.initial_for(item))
    save = partial(services.template_item_update, actor=request.user, item=item)
    if _saved(request, form, save, _("The item was saved.")):
        return redirect(_draft_url(series, "#items-heading"))
    heading = _("Change the item “%(title)s”") % {"title": item.title}
    return _row_form_page(request, series=series, form=form, heading=heading, back_url=_draft_url(series))


@login_required
@require_POST
def agenda_draft_item_delete(request, series_id, pk):
    series = series_get_to_change(request.user, series_id)
    item = get_object_or_404(AgendaTemplateItem, pk=pk, template=_draft_or_404(series))
    success = _("The item “%(title)s” was removed.") % {"title": item.title}
    _done(request, partial(services.template_item_delete, actor=request.user, item=item), success)
    return redirect(_draft_url(series, "#items-heading"))


@login_required
@require_POST
def agenda_draft_item_move(request, series_id, pk):
    series = series_get_to_change(request.user, series_id)
    item = get_object_or_404(AgendaTemplateItem, pk=pk, template=_draft_or_404(series))
    if direction := _direction(request):
        services.template_item_move(actor=request.user, item=item, direction=direction)
    return redirect(_draft_url(series, f"#item-{item.pk}"))


@login_required
def agenda_draft_question_add(request, series_id):
    series = series_get_to_change(request.user, series_id)
    draft = _draft_or_404(series)
    form = QuestionForm(request.POST or None)
    save = partial(services.template_question_add, actor=request.user, template=draft)
    if _saved(request, form, save, _("The question was added.")):
        return redirect(_draft_url(series, "#questions-heading"))
    heading = _("Add a question to version %(version)d") % {"version": draft.version}
    return _row_form_page(request, series=series, form=form, heading=heading, back_url=_draft_url(series))


@login_required
def agenda_draft_question_edit(request, series_id, pk):
    series = series_get_to_change(request.user, series_id)
    question = get_object_or_404(InfoRoundQuestion, pk=pk, template=_draft_or_404(series))
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    save = partial(services.template_question_update, actor=request.user, question=question)
    if _saved(request, form, save, _("The question was saved.")):
        return redirect(_draft_url(series, "#questions-heading"))
    heading = _("Change the question “%(prompt)s”") % {"prompt": question.prompt}
    return _row_form_page(request, series=series, form=form, heading=heading, back_url=_draft_url(series))


@login_required
@require_POST
def agenda_draft_question_delete(request, series_id, pk):
    series = series_get_to_change(request.user, series_id)
    question = get_object_or_404(InfoRoundQuestion, pk=pk, template=_draft_or_404(series))
    success = _("The question “%(prompt)s” was removed.") % {"prompt": question.prompt}
    _done(request, partial(services.template_question_delete, actor=request.user, question=question), success)
    return redirect(_draft_url(series, "#questions-heading"))


@login_required
@require_POST
def agenda_draft_question_move(request, series_id, pk):
    series = series_get_to_change(request.user, series_id)
    question = get_object_or_404(InfoRoundQuestion, pk=pk, template=_draft_or_404(series))
    if direction := _direction(request):
        services.template_question_move(actor=request.user, question=question, direction=direction)
    return redirect(_draft_url(series, f"#question-{question.pk}"))


# --- One session's agenda ------------------------------------------------------


def _session_agenda_url(session: Session, anchor: str = "") -> str:
    return reverse("meetings:session_agenda_edit", kwargs={"session_id": session.public_id}) + anchor


@login_required
def session_agenda_edit(request, session_id):
    session = session_get_to_change(request.user, session_id)
    context = {"session": session, "series": session.series, "agenda": session_agenda_summary(session=session)}
    return render(request, "meetings/agenda_session.html", context)


@login_required
def session_agenda_item_add(request, session_id):
    session = session_get_to_change(request.user, session_id)
    form = SessionAgendaItemForm(session.series, request.POST or None, initial={"timebox": 10})
    save = partial(services.agenda_item_add, actor=request.user, session=session)
    if _saved(request, form, save, _("The item was added to this session's agenda.")):
        return redirect(_session_agenda_url(session))
    heading = _("Add an item to this session's agenda")
    back_url = _session_agenda_url(session)
    return _row_form_page(
        request, series=session.series, session=session, form=form, heading=heading, back_url=back_url
    )


@login_required
def session_agenda_item_edit(request, session_id, pk):
    session = session_get_to_change(request.user, session_id)
    item = get_object_or_404(AgendaItem, pk=pk, session=session)
    form = SessionAgendaItemForm(session.series, request.POST or None, initial=SessionAgendaItemForm.initial_for(item))
    save = partial(services.agenda_item_update, actor=request.user, item=item)
    if _saved(request, form, save, _("The item was saved.")):
        return redirect(_session_agenda_url(session))
    heading = _("Change the item “%(title)s”") % {"title": item.title}
    back_url = _session_agenda_url(session)
    return _row_form_page(
        request, series=session.series, session=session, form=form, heading=heading, back_url=back_url
    )


@login_required
@require_POST
def session_agenda_item_delete(request, session_id, pk):
    session = session_get_to_change(request.user, session_id)
    item = get_object_or_404(AgendaItem, pk=pk, session=session)
    success = _("The item “%(title)s” was removed.") % {"title": item.title}
    _done(request, partial(services.agenda_item_remove, actor=request.user, item=item), success)
    return redirect(_session_agenda_url(session))


@login_required
@require_POST
def session_agenda_item_move(request, session_id, pk):
    session = session_get_to_change(request.user, session_id)
    item = get_object_or_404(AgendaItem, pk=pk, session=session)
    if direction := _direction(request):
        _done(request, partial(services.agenda_item_move, actor=request.user, item=item, direction=direction))
    return redirect(_session_agenda_url(session, f"#item-{item.pk}"))
