from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from operators.models import Operator

from . import selectors, services
from .forms import InvitationAcceptForm, InvitationForm, ProfileForm
from .models import Invitation


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def invitation_list(request):
    if not request.user.has_perm("accounts.invite_people"):
        raise PermissionDenied
    invitations = selectors.invitations_visible_to(request.user).order_by("accepted_at", "-created_at")
    page = Paginator(invitations, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/invitation_list.html", {"page": page})


@login_required
def invitation_create(request):
    if not request.user.has_perm("accounts.invite_people"):
        raise PermissionDenied
    initial = {}
    slug = request.GET.get("operator", "")[:80]
    if slug_re.match(slug):  # a link's slug; anything else (a NUL byte…) is not looked up
        initial["operator"] = Operator.objects.filter(slug=slug).first()
    form = InvitationForm(request.POST or None, actor=request.user, initial=initial)
    if form.is_valid():
        try:
            result = services.invitation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            if isinstance(result, Invitation):
                messages.success(request, _("The invitation was sent to %(email)s.") % {"email": result.email})
            else:
                messages.success(
                    request, _("%(email)s already had an account: they were added.") % {"email": result.email}
                )
            operator = form.cleaned_data.get("operator")
            if operator is not None:
                return redirect("operators:members", slug=operator.slug)
            return redirect("accounts:invitation_list")
    return render(request, "accounts/invitation_form.html", {"form": form})


def _managed_invitation(request, pk) -> Invitation:
    """The invitation at `pk` if this person manages it (404 otherwise)."""
    invitation = get_object_or_404(selectors.invitations_visible_to(request.user), pk=pk)
    if invitation.operator is None and not request.user.has_perm("accounts.invite_coordinator"):
        raise Http404
    return invitation


def _back(request, invitation):
    if invitation.operator is not None and request.POST.get("back") == "members":
        return redirect("operators:members", slug=invitation.operator.slug)
    return redirect("accounts:invitation_list")


@login_required
@require_POST
def invitation_resend(request, pk):
    invitation = _managed_invitation(request, pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A new link was sent to %(email)s.") % {"email": invitation.email})
    return _back(request, invitation)


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = _managed_invitation(request, pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
    return _back(request, invitation)


@never_cache
def invitation_accept(request, token):
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    if invitation.status != Invitation.Status.PENDING:
        return render(request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=410)
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html", {"invitation": invitation}, status=409)
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="accounts.backends.AccountBackend")
            messages.success(request, _("Welcome to Carrefour!"))
            return redirect("core:home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
