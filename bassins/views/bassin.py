"""A bassin's page, its état des lieux (page, print, PDF) and what its team adds."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from core.services import audit_record

from .. import services
from ..forms import BassinMunicipalitiesForm, StateNoteForm
from ..models import StateNote
from ..registry import state_sections
from ..selectors.bassin import (
    bassin_get,
    bassin_list,
    bassin_municipality_choices,
    bassin_page,
    bassin_state,
    bassin_state_for_page,
)


def _bassin_to_change(request, slug):
    bassin = bassin_get(slug)
    if not request.user.has_perm("bassins.change_bassin", bassin):
        raise PermissionDenied
    return bassin


@login_required
def bassin_index(request):
    return render(request, "bassins/bassin_list.html", {"bassins": bassin_list()})


@login_required
def bassin_detail(request, slug):
    page = bassin_page(request.user, bassin_get(slug))
    return render(request, "bassins/bassin_detail.html", {"page": page, "bassin": page.bassin})


@login_required
def bassin_state_page(request, slug):
    page = bassin_state_for_page(request.user, bassin_get(slug))
    # The sections other apps add are read with each request: they name no
    # scope of theirs that their writes would drop (bassins.registry).
    context = {
        "state": page.state,
        "bassin": page.bassin,
        "can_change": page.can_change,
        "state_key": page.key,
        "fragment_timeout": FRAGMENT_TIMEOUT,
        "sections": state_sections(page.bassin),
    }
    return render(request, "bassins/state.html", context)


@login_required
def bassin_state_pdf(request, slug):
    import weasyprint  # loads Pango: only this export needs it

    state = bassin_state(bassin_get(slug))
    html = render_to_string("bassins/state_pdf.html", {"state": state, "bassin": state.bassin}, request=request)
    pdf = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    audit_record(actor=request.user, action="bassin.state_pdf", obj=state.bassin)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = _("state-%(bassin)s-%(date)s.pdf") % {"bassin": state.bassin.slug, "date": timezone.localdate()}
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def state_note_add(request, slug):
    bassin = _bassin_to_change(request, slug)
    form = StateNoteForm(request.POST or None)
    if form.is_valid():
        try:
            services.state_note_add(actor=request.user, bassin=bassin, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The text block was added to the état des lieux."))
            return redirect("bassins:state", slug=bassin.slug)
    return render(request, "bassins/state_note_form.html", {"form": form, "bassin": bassin})


@login_required
@require_POST
def state_note_delete(request, slug, pk):
    bassin = _bassin_to_change(request, slug)
    note = get_object_or_404(StateNote, pk=pk, bassin=bassin)
    services.state_note_delete(actor=request.user, note=note)
    messages.success(request, _("The text block was removed."))
    return redirect("bassins:state", slug=bassin.slug)


@login_required
@require_POST
def working_groups_create(request, slug):
    bassin = _bassin_to_change(request, slug)
    created = services.bassin_working_groups_create(actor=request.user, bassin=bassin)
    messages.success(request, _("Working groups created: %(count)s.") % {"count": len(created)})
    return redirect("bassins:detail", slug=bassin.slug)


@login_required
def bassin_municipalities_edit(request, slug):
    bassin = _bassin_to_change(request, slug)
    data = request.POST if request.method == "POST" else None  # unticking every box posts no value
    form = BassinMunicipalitiesForm(data, choices=bassin_municipality_choices(bassin))
    if form.is_valid():
        try:
            services.bassin_municipalities_set(
                actor=request.user, bassin=bassin, municipality_ids=form.cleaned_data["municipalities"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The municipalities of the bassin are saved."))
            return redirect("bassins:detail", slug=bassin.slug)
    return render(request, "bassins/municipalities_form.html", {"form": form, "bassin": bassin})
