import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Invitation
from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from core.services import audit_record
from core.spreadsheets import cell_safe

from . import selectors, services
from .forms import DirectoryFilterForm, MembershipRoleForm, OperatorContactForm, OperatorForm
from .fragments import directory_fragment_key
from .models import Operator, OperatorMembership

PAGE_SIZE = 25


def _operator_for_user(request, slug: str) -> Operator:
    """The operator at `slug`, if this person may see it (404 otherwise)."""
    operator = get_object_or_404(Operator.objects.select_related("territory"), slug=slug)
    if not operator.is_active and not request.user.has_perm("operators.view_inactive"):
        raise Http404
    return operator


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    operators = selectors.operator_directory(
        query=filters.get("q", ""),
        kind=filters.get("kind", ""),
        territory=filters.get("territory"),
        bassin=filters.get("bassin"),
        municipality=filters.get("municipality"),
        public=filters.get("public", ""),
        include_inactive=request.user.has_perm("operators.view_inactive"),
    )
    # Read only when rendered: the list is a cached fragment, the same for
    # everyone who sees the same operators with the same filters.
    page = SimpleLazyObject(lambda: Paginator(operators, PAGE_SIZE).get_page(request.GET.get("page")))
    include_inactive = request.user.has_perm("operators.view_inactive")
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {"form": form, "page": page, "querystring": querystring.urlencode()}
    context.update(
        directory_key=directory_fragment_key(request.GET.urlencode(), include_inactive),
        fragment_timeout=FRAGMENT_TIMEOUT,
    )
    return render(request, "operators/directory.html", context)


@login_required
def operator_detail(request, slug):
    operator = _operator_for_user(request, slug)
    members = selectors.operator_memberships(operator=operator)
    served = selectors.operator_served(operator=operator)
    return render(request, "operators/detail.html", {"operator": operator, "members": members, "served": served})


@login_required
def operator_create(request):
    _require(request, "operators.add_operator")
    form = OperatorForm(request.POST or None)
    if form.is_valid():
        operator = services.operator_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The operator was created."))
        return redirect("operators:detail", slug=operator.slug)
    return render(request, "operators/form.html", {"form": form})


@login_required
def operator_edit(request, slug):
    operator = _operator_for_user(request, slug)
    _require(request, "operators.change_operator_contact", operator)
    form_class = OperatorForm if request.user.has_perm("operators.change_operator", operator) else OperatorContactForm
    form = form_class(request.POST or None, instance=operator)
    conflict = None
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.operator_update(actor=request.user, operator=operator, **data)
        except services.EditConflict as exc:
            conflict = exc.current
            form = form_class(request.POST, instance=conflict)
            form.data = form.data.copy()
            form.data["version"] = conflict.version
            messages.error(
                request, _("Someone saved this operator while you were editing it. Compare, then save again.")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The operator was saved."))
            return redirect("operators:detail", slug=operator.slug)
    return render(request, "operators/form.html", {"form": form, "operator": operator, "conflict": conflict})


@login_required
def operator_members(request, slug):
    operator = _operator_for_user(request, slug)
    _require(request, "operators.manage_members", operator)
    members = selectors.operator_memberships(operator=operator)
    invitations = Invitation.objects.filter(
        operator=operator, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")
    return render(
        request,
        "operators/members.html",
        {"operator": operator, "members": members, "invitations": invitations, "role_form": MembershipRoleForm()},
    )


def _membership(request, slug, pk) -> OperatorMembership:
    operator = _operator_for_user(request, slug)
    _require(request, "operators.manage_members", operator)
    return get_object_or_404(OperatorMembership.objects.select_related("user", "operator"), pk=pk, operator=operator)


@login_required
@require_POST
def membership_role(request, slug, pk):
    membership = _membership(request, slug, pk)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
        return redirect("operators:members", slug=slug)
    try:
        services.membership_change_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The role of %(name)s was changed.") % {"name": membership.user})
    return redirect("operators:members", slug=slug)


@login_required
@require_POST
def membership_remove(request, slug, pk):
    membership = _membership(request, slug, pk)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s no longer belongs to this operator.") % {"name": membership.user})
    return redirect("operators:members", slug=slug)


@login_required
def directory_export(request):
    _require(request, "operators.export_directory")
    operators = selectors.operator_directory(include_inactive=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="carrefour-operators-{stamp}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Name"),
            _("Short name"),
            _("Parent institution"),
            _("Kind"),
            _("Public served"),
            _("Territory"),
            _("Street and number"),
            _("Postal code"),
            _("City"),
            _("Phone"),
            _("Contact email"),
            _("Website"),
            _("Active"),
        ]
    )
    count = 0
    for op in operators:
        writer.writerow(
            [
                cell_safe(v)
                for v in (
                    op.name,
                    op.short_name,
                    op.institution,
                    op.get_kind_display(),
                    ", ".join(op.get_publics_display()),
                    op.territory.name,
                    op.street,
                    op.postal_code,
                    op.city,
                    op.phone,
                    op.email,
                    op.website,
                    _("yes") if op.is_active else _("no"),
                )
            ]
        )
        count += 1
    audit_record(actor=request.user, action="directory.export", detail={"rows": count})
    return response
