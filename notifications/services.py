"""What a person changes about their notifications, and what admins do with failed ones."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record

from .models import Notification
from .registry import kind_get, preference_kinds
from .tasks import notification_send_task


@transaction.atomic
def notification_unsubscribe(*, user, kind: str) -> bool:
    """Turn one kind off for `user` (a kind with a setting of its own clears it: no digest day).
    False if it cannot be turned off."""
    user = type(user).objects.select_for_update().get(pk=user.pk)
    try:
        registered = kind_get(kind)
    except KeyError:
        return False
    if registered.mandatory:
        return False
    if registered.turn_off is not None:
        user.save(update_fields=registered.turn_off(user))
    elif kind not in user.notifications_off:
        user.notifications_off = sorted({*user.notifications_off, kind})
        user.save(update_fields=["notifications_off"])
    return True


@transaction.atomic
def notification_preferences_update(
    *, user, kinds_on: list[str], digest_weekday: int | None, calendar_alarm: int | None = None
) -> None:
    """Save which optional kinds the person receives, the day of their digest (None: off)
    and the lead time of the alarm in their calendar files (minutes; None: no alarm)."""
    optional = {kind.code for kind in preference_kinds()}
    unknown = set(kinds_on) - optional
    if unknown:
        raise ValidationError({"kinds": _("Choose among the listed notifications.")})
    if digest_weekday is not None and not 0 <= digest_weekday <= 6:
        raise ValidationError({"digest_weekday": _("Choose a day of the week.")})
    alarms = {value for value, _label in user._meta.get_field("calendar_alarm").choices}
    if calendar_alarm is not None and calendar_alarm not in alarms:
        raise ValidationError({"calendar_alarm": _("Choose one of the proposed reminders.")})
    user.notifications_off = sorted(optional - set(kinds_on))
    user.digest_weekday = digest_weekday
    user.calendar_alarm = calendar_alarm
    user.save(update_fields=["notifications_off", "digest_weekday", "calendar_alarm"])


@transaction.atomic
def notification_resend(*, actor, notification: Notification) -> Notification:
    """Put a failed row back in the queue (admins) and send it once the transaction commits."""
    if not (actor.is_active and actor.is_superuser):
        raise PermissionDenied
    updated = Notification.objects.filter(pk=notification.pk, state=Notification.State.FAILED).update(
        state=Notification.State.PENDING, due_at=timezone.now(), attempts=0, last_error=""
    )
    if not updated:
        raise ValidationError(_("Only a failed notification can be sent again."))
    audit_record(actor=actor, action="notification.resend", obj=notification)
    transaction.on_commit(lambda: notification_send_task.delay(notification.pk))
    notification.refresh_from_db()
    return notification
