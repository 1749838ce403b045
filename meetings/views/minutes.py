"""The minutes of a session: read (participants: published only), edit with
conflicts shown side by side, move between states, compare versions, print
and download as PDF."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import typed_texts
from core.services import audit_record

from ..forms.corrections import CorrectionForm
from ..forms.minutes import CompareForm, MinutesForm, TransitionForm
from ..forms.sessions import add_service_errors
from ..models import Minutes
from ..selectors.access import session_get_to_change
from ..selectors.live import agenda_items
from ..selectors.minutes import (
    content_for_display,
    minutes_content,
    minutes_latest_revision,
    minutes_of,
    minutes_revisions,
    minutes_session_for_user,
    revisions_compare,
)
from ..services import minutes as services
from ..services.corrections import minutes_correction_propose
from .corrections import corrections_context


def _minutes_to_change(request, session_id):
    """404 outside the series, 403 for its participants, 404 before the minutes exist."""
    session = session_get_to_change(request.user, session_id)
    minutes = minutes_of(session)
    if minutes is None:
        raise Http404
    return session, minutes


def _content(session, minutes: Minutes) -> dict:
    """Published minutes as they were published; others as they are now."""
    if minutes.status == Minutes.Status.PUBLISHED:
        revision = minutes_latest_revision(minutes)
        return content_for_display(revision.content if revision else {})
    return content_for_display(minutes_content(session, minutes.summary))


def minutes_page_context(request, session, minutes, can_change, correction_form=None) -> dict:
    context = {"session": session, "series": session.series, "minutes": minutes, "can_change": can_change}
    if minutes is not None:
        context["content"] = _content(session, minutes)
        context["moves"] = services.minutes_moves(minutes, session.series) if can_change else set()
        context |= corrections_context(request, session, minutes, can_change, correction_form)
    return context


@login_required
def minutes_detail(request, session_id):
    session, minutes, can_change = minutes_session_for_user(request.user, session_id)
    return render(request, "meetings/minutes_detail.html", minutes_page_context(request, session, minutes, can_change))


@login_required
@require_POST
def minutes_correction_add(request, session_id):
    """A participant proposes a correction to provisional minutes."""
    session, minutes, can_change = minutes_session_for_user(request.user, session_id)
    if minutes is None or minutes.status != Minutes.Status.PUBLISHED:
        raise Http404
    form = CorrectionForm(session, request.POST)
    if form.is_valid():
        try:
            minutes_correction_propose(actor=request.user, minutes=minutes, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your correction is sent to the coordinators."))
            return redirect("meetings:minutes_detail", session_id=session.public_id)
    # Refused: the page again, with the text typed and why.
    context = minutes_page_context(request, session, minutes, can_change, correction_form=form)
    return render(request, "meetings/minutes_detail.html", context, status=400)


def _labels(items) -> dict[str, str]:
    labels = {"summary": _("General notes")}
    labels |= {str(item.pk): item.title for item in items}
    return labels


def _refused(request, session, minutes, form: MinutesForm, reason):
    """The minutes can no longer change (approved or published meanwhile): say
    so, and give back what was typed, read-only, to be copied."""
    form.add_error(None, reason)
    context = {"session": session, "series": session.series, "minutes": minutes, "form": form}
    return render(request, "meetings/minutes_edit.html", context | {"refused": typed_texts(form)}, status=409)


@login_required
def minutes_edit(request, session_id):
    session, minutes = _minutes_to_change(request, session_id)
    not_draft = _("Only draft minutes can be edited. Put them back to draft first.")
    items = agenda_items(session)
    if minutes.status != Minutes.Status.DRAFT:
        if request.method != "POST":
            messages.error(request, not_draft)
            return redirect("meetings:minutes_detail", session_id=session.public_id)
        return _refused(request, session, minutes, MinutesForm(items, request.POST), not_draft)
    revision = minutes_latest_revision(minutes)
    initial = MinutesForm.initial_for(minutes, items, revision.number if revision else None)
    form = MinutesForm(items, request.POST or None, initial=initial)
    conflicts = []
    if form.is_valid():
        try:
            services.minutes_save(actor=request.user, minutes=minutes, **form.service_kwargs())
        except services.MinutesConflict as exc:
            conflicts, form = _conflicts(exc, items, form)
            messages.error(request, _("Someone saved these minutes while you were editing them. Compare, then save."))
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # no longer a draft: approved meanwhile
                return _refused(request, session, minutes, form, exc)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect("meetings:minutes_detail", session_id=session.public_id)
    context = {"session": session, "series": session.series, "minutes": minutes, "form": form}
    return render(request, "meetings/minutes_edit.html", context | {"conflicts": conflicts})


def _conflicts(exc: services.MinutesConflict, items, form: MinutesForm):
    """The conflicts with their labels, and the form to merge in: your texts,
    the other person's where only they changed something, the current versions."""
    labels = _labels(items)
    data = form.data.copy()
    data["version"] = exc.minutes.version
    data["revision"] = exc.revision or ""
    if "summary" in exc.keep:
        data["summary"] = exc.minutes.summary
    for pk, item in exc.items.items():
        data[f"version_{pk}"] = item.notes_version
        if pk in exc.keep:
            data[f"notes_{pk}"] = item.notes
    conflicts = [{"label": labels.get(c.key, ""), "saved": c.saved, "yours": c.yours} for c in exc.conflicts]
    return conflicts, MinutesForm(items, data)


@login_required
@require_POST
def minutes_transition(request, session_id):
    session, minutes = _minutes_to_change(request, session_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This change of state is not possible."))
        return redirect("meetings:minutes_detail", session_id=session.public_id)
    try:
        services.minutes_transition(actor=request.user, minutes=minutes, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = {
            Minutes.Status.DRAFT: _("The minutes are a draft again."),
            Minutes.Status.APPROVED: _("The minutes are approved."),
            Minutes.Status.PUBLISHED: _("The minutes are published: the participants can read them."),
        }
        if session.series.minutes_approved_at_next_session and form.cleaned_data["to"] == Minutes.Status.PUBLISHED:
            done[Minutes.Status.PUBLISHED] = _(
                "The minutes are published as provisional: the participants can propose corrections "
                "until the next session, which approves them."
            )
        messages.success(request, done[form.cleaned_data["to"]])
    return redirect("meetings:minutes_detail", session_id=session.public_id)


@login_required
def minutes_versions(request, session_id):
    session, minutes = _minutes_to_change(request, session_id)
    revisions = minutes_revisions(minutes)
    by_number = {r.number: r for r in revisions}
    form = CompareForm(request.GET or None)
    old = new = None
    if form.is_valid():
        old, new = by_number.get(form.cleaned_data["a"]), by_number.get(form.cleaned_data["b"])
        if old is None or new is None:
            form.add_error(None, _("Choose two versions of these minutes."))
    elif not form.is_bound and len(revisions) >= 2:
        new, old = revisions[0], revisions[1]
    sections = []
    if old is not None and new is not None:
        labels = {
            "summary": _("General notes"),
            "attendance": _("Attendance"),
            "decisions": _("Decisions"),
            "actions": _("Actions"),
        }
        sections = revisions_compare(old, new, labels)
    context = {
        "session": session,
        "series": session.series,
        "minutes": minutes,
        "revisions": revisions,
        "form": form,
        "old": old,
        "new": new,
        "sections": sections,
        "any_change": any(section.changed for section in sections),
    }
    return render(request, "meetings/minutes_versions.html", context)


@login_required
def minutes_pdf(request, session_id):
    import weasyprint  # loads Pango: only this page needs it

    session, minutes, can_change = minutes_session_for_user(request.user, session_id)
    if minutes is None or minutes.status != Minutes.Status.PUBLISHED:
        raise Http404
    context = {"session": session, "series": session.series, "minutes": minutes, "content": _content(session, minutes)}
    html = render_to_string("meetings/minutes_pdf.html", context, request=request)
    pdf = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    audit_record(actor=request.user, action="minutes.pdf", obj=minutes, detail={"session": session.pk})
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = _("minutes-%(date)s.pdf") % {"date": timezone.localdate(session.starts_at).isoformat()}
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
