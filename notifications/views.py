from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import selectors, services
from .digest import digest_context
from .forms import PreferencesForm
from .models import Notification
from .registry import kind_get, preference_kinds
from .unsubscribe import unsubscribe_read


@login_required
def preferences(request):
    user = request.user
    initial = {
        "kinds": [k.code for k in preference_kinds() if k.code not in (user.notifications_off or [])],
        "digest_weekday": "" if user.digest_weekday is None else str(user.digest_weekday),
        "calendar_alarm": "" if user.calendar_alarm is None else str(user.calendar_alarm),
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_update(
            user=user,
            kinds_on=form.cleaned_data["kinds"],
            digest_weekday=form.cleaned_data["digest_weekday"],
            calendar_alarm=form.cleaned_data["calendar_alarm"],
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mail programs POST here without a form; the signed token is the key.
def unsubscribe(request, token):
    try:
        notification = unsubscribe_read(token)
    except signing.SignatureExpired:
        return render(request, "notifications/unsubscribe_refused.html", {"expired": True}, status=410)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_refused.html", {"expired": False}, status=404)
    kind = kind_get(notification.kind)
    done = False
    if request.method == "POST":
        done = services.notification_unsubscribe(user=notification.recipient, kind=kind.code)
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "done": done, "token": token})


@login_required
def digest_preview(request):
    context = digest_context(user=request.user)
    return render(request, "notifications/digest_preview.html", {"digest": context})


@login_required
def failed(request):
    if not request.user.has_perm("notifications.view_failed"):
        raise PermissionDenied
    page = Paginator(selectors.failed_notifications(), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/failed.html", {"page": page})


@login_required
@require_POST
def resend(request, pk):
    if not request.user.has_perm("notifications.view_failed"):
        raise PermissionDenied
    notification = get_object_or_404(Notification, pk=pk)
    try:
        services.notification_resend(actor=request.user, notification=notification)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The notification is back in the queue."))
    return redirect("notifications:failed")
