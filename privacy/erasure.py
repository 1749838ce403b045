"""Closing an account: the person's name becomes a stable pseudonym wherever
the collective record stays, what only concerned them goes (privacy.registry
says which is which)."""

import hashlib
import hmac

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Invitation, Language
from bassins.models import VisitBooking
from core.services import audit_record
from meetings.models import Action, CharterAcceptance, JoinRequest, MinutesRevision, Series
from registrations.models import Registration

from .models import DataExport
from .registry import HOLDERS, Erase

# Erased accounts keep their row under an address no mail server accepts.
ERASED_DOMAIN = "erased.invalid"
REASON_MAX = 300


def pseudonym_code(user_id: int) -> str:
    """Four hexadecimal characters, always the same for a person, that say nothing of them."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"pseudonym:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:4].upper()


def pseudonym(user_id: int) -> str:
    # Stored in the person's row, so written once in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Participant·e %(code)s") % {"code": pseudonym_code(user_id)}


def is_erased(user) -> bool:
    return user.email.endswith("@" + ERASED_DOMAIN)


def series_to_hand_over(user) -> list[Series]:
    """The active series (no end, or an end still to come) the person is the last coordinator of."""
    today = timezone.localdate()
    return list(
        Series.objects.filter(coordinators=user)
        .filter(Q(pilot_end__isnull=True) | Q(pilot_end__gte=today))
        .annotate(coordinator_count=Count("coordinators"))
        .filter(coordinator_count=1)
        .order_by("name")
    )


def _erase_custom(user, erased_email: str) -> None:
    # Invitations the person accepted, or pending ones sent to their address: the address goes.
    invitations = Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email))
    invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=timezone.now())
    invitations.update(email=erased_email, name="")
    # They no longer coordinate anything (series_to_hand_over was empty).
    user.coordinated_series.clear()
    # A pending join request only concerned the person who asked; a decided one is history.
    JoinRequest.objects.filter(requested_by=user, status=JoinRequest.Status.PENDING).delete()
    # Registrations to what has not happened yet go; those to a session held stay in the record.
    Registration.objects.filter(user=user).exclude(session__starts_at__lt=timezone.now()).delete()
    # Open-doors visits: those not held go; a visit held stays (a link of the map).
    VisitBooking.objects.filter(visitor=user, slot__held_confirmed_at__isnull=True).delete()
    # Charter acceptances stay (they are never deleted); the name signed reads as the pseudonym.
    CharterAcceptance.objects.filter(user=user).update(signed_name=pseudonym(user.pk))


def _rewrite_minutes(user, name: str) -> None:
    # Published minutes keep a copy of the names (MinutesRevision.content): the
    # person's entries there read as their pseudonym too.
    owned = {str(pk) for pk in Action.objects.filter(owner_user=user).values_list("public_id", flat=True)}
    revisions = MinutesRevision.objects.filter(
        Q(minutes__session__attendances__user=user) | Q(minutes__session__actions__owner_user=user)
    ).distinct()
    for revision in revisions.iterator(chunk_size=200):
        content = revision.content
        for row in content.get("attendance", []):
            for person in row.get("people", []):
                if person.get("user_id") == user.pk:
                    person["name"] = name
        for action in content.get("actions", []):
            if action.get("id") in owned and action.get("owner"):
                action["owner"] = name
        MinutesRevision.objects.filter(pk=revision.pk).update(content=content)


def _erase_registered(user) -> None:
    for label, holder in HOLDERS.items():
        model = apps.get_model(label)
        for field, erase in holder.fields.items():
            if erase is Erase.DELETE:
                if model is DataExport:
                    for export in DataExport.objects.filter(user=user).exclude(file=""):
                        export.file.delete(save=False)
                model.objects.filter(**{field: user}).delete()


def account_erase(*, user, actor, reason: str = "") -> None:
    """Close `user`'s account for good. Guarantees: their name reads as their
    pseudonym everywhere the collective record keeps them (every count stays);
    their address, password, preferences, memberships, calendar feed,
    notifications and copies of their data are gone; their sessions end (the
    password changes); the erasure is in the audit trail, with who asked and
    why. ValidationError when they are the last coordinator of an active
    series: they hand it over first. Erasing twice changes nothing.
    """
    if is_erased(user):
        return
    if user.is_superuser and get_user_model().objects.filter(is_superuser=True, is_active=True).count() <= 1:
        raise ValidationError(_("The last administrator cannot be erased."), code="last_admin")
    to_hand_over = series_to_hand_over(user)
    if to_hand_over:
        names = ", ".join(s.name for s in to_hand_over)
        raise ValidationError(
            _("Hand over these series to another coordinator first: %(names)s.") % {"names": names},
            code="handover",
        )
    erased_email = f"{user.pk}@{ERASED_DOMAIN}"
    name = pseudonym(user.pk)
    with transaction.atomic():
        _rewrite_minutes(user, name)
        _erase_custom(user, erased_email)
        _erase_registered(user)
        user.groups.clear()
        user.user_permissions.clear()
        user.name = name
        user.email = erased_email
        user.language = Language.FRENCH
        user.notifications_off = []
        user.digest_weekday = None
        user.is_active = user.is_staff = user.is_superuser = False
        # A new password hash ends every session of the person (Django checks it on each request).
        user.set_unusable_password()
        user.save()
        detail = {"by_self": actor is not None and actor.pk == user.pk}
        if reason:
            detail["reason"] = reason[:REASON_MAX]
        audit_record(actor=actor, action="account.erase", obj=user, detail=detail)
