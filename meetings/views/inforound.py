"""The info round of a session: an operator's entry, the completion board and the compiled round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import typed_texts
from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from operators.models import Operator

from ..forms.inforound import InfoRoundEntryForm, initial_for
from ..forms.sessions import add_service_errors
from ..models import InfoRoundEntry
from ..selectors.access import operator_takes_part, session_get_for_user, session_get_to_change
from ..selectors.inforound import (
    BOARD_STATUSES,
    InfoRoundPhase,
    answer_display,
    info_round_board,
    info_round_compiled_page,
    info_round_entry_status,
    info_round_entry_with_answers,
    info_round_phase,
    info_round_questions,
    info_round_window,
)
from ..services.inforound import (
    InfoRoundConflict,
    info_round_check_open,
    info_round_entry_save,
    info_round_may_fill,
)


def _success_message(entry: InfoRoundEntry, action: str) -> str:
    if action == "nothing_new":
        return _("Recorded: nothing new this week. Thank you!")
    if entry.status == InfoRoundEntry.Status.DRAFT:
        return _("Your draft was saved. The other operators will see it once you submit it.")
    if entry.is_late:
        return _(
            "Your info round was saved. It arrived after the deadline: it is marked late, "
            "and the coordinators see it so on their board."
        )
    return _("Your info round was submitted. Thank you!")


@login_required
def inforound_entry(request, session_id, operator_slug):
    """An operator's entry for a session: its members fill it; coordinators read it."""
    session = session_get_for_user(request.user, session_id)
    operator = Operator.objects.filter(slug=operator_slug).first()
    if operator is None:
        raise Http404
    entry, given = info_round_entry_with_answers(session, operator)
    if entry is None and not operator_takes_part(session, operator):
        raise Http404
    may_fill = info_round_may_fill(request.user, operator)
    if not may_fill and not request.user.has_perm("meetings.change_series", session.series):
        raise PermissionDenied
    questions = info_round_questions(session)
    phase = info_round_phase(session, timezone.now())
    form = InfoRoundEntryForm(questions, initial=initial_for(entry, given, questions))
    conflict, status, refused = None, 200, []
    if request.method == "POST":
        if not may_fill:
            raise PermissionDenied
        form = InfoRoundEntryForm(questions, request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                entry = info_round_entry_save(
                    actor=request.user,
                    session=session,
                    operator=operator,
                    answers=form.answers(),
                    version=form.cleaned_data["version"],
                    submit=action == "submit",
                    nothing_new=action == "nothing_new",
                )
            except InfoRoundConflict as exc:
                conflict, status = exc, 409
                data = request.POST.copy()
                data["version"] = exc.entry.version  # saving again keeps this text, knowingly
                form = InfoRoundEntryForm(questions, data)
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 200 if hasattr(exc, "error_dict") else 400
            else:
                messages.success(request, _success_message(entry, action))
                return redirect(request.path)
        now = timezone.now()
        phase = info_round_phase(session, now)
        if phase != InfoRoundPhase.OPEN:
            # Refused for its timing (the session started meanwhile): the form
            # is not shown any more, so the answers come back read-only, to be copied.
            if not form.non_field_errors():
                try:
                    info_round_check_open(session, now)
                except ValidationError as exc:
                    form.add_error(None, exc)
            status = 400
            refused = typed_texts(form)
    opens_at, deadline = info_round_window(session)
    context = {
        "session": session,
        "series": session.series,
        "operator": operator,
        "entry": entry,
        "status": info_round_entry_status(entry),
        "answers": [(q, answer_display(q, given.get(q.pk))) for q in questions],
        "form": form,
        "may_fill": may_fill,
        "phase": phase,
        "round_closed": phase == InfoRoundPhase.CLOSED,
        "refused": refused,
        "opens_at": opens_at,
        "deadline": deadline,
        "conflict": conflict,
        "conflict_answers": [(q, answer_display(q, conflict.answers.get(q.pk))) for q in questions] if conflict else [],
    }
    return render(request, "meetings/inforound_entry.html", context, status=status)


@login_required
def inforound_board(request, session_id):
    """Coordinators: who has answered the session's info round."""
    session = session_get_to_change(request.user, session_id)
    rows = info_round_board(session=session)
    counts = {s: sum(1 for r in rows if r.status == s) for s in BOARD_STATUSES}
    opens_at, deadline = info_round_window(session)
    phase = info_round_phase(session, timezone.now())
    context = {
        "session": session,
        "series": session.series,
        "rows": rows,
        "counts": counts,
        "opens_at": opens_at,
        "deadline": deadline,
        "phase": phase,
        "round_closed": phase == InfoRoundPhase.CLOSED,
    }
    return render(request, "meetings/inforound_board.html", context)


@login_required
def inforound_compiled(request, session_id):
    """All submitted entries side by side, for the meeting and for print."""
    session = session_get_for_user(request.user, session_id)
    compiled, key = info_round_compiled_page(session=session)
    context = {
        "session": session,
        "series": session.series,
        "compiled": compiled,
        "compiled_key": key,
        "fragment_timeout": FRAGMENT_TIMEOUT,
        "can_change": request.user.has_perm("meetings.change_series", session.series),
    }
    return render(request, "meetings/inforound_compiled.html", context)
