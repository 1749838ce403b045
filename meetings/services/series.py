"""Writes on series, their participants and join requests."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_operator_roles
from core.permissions import require_perm
from core.services import audit_record
from core.tasks import email_send_later
from operators.models import MembershipRole, Operator

from ..models import KIND_DEFAULTS, JoinRequest, Participation, Series
from .agenda import agenda_template_ensure
from .feeds import series_feed_regenerate

SERIES_FIELDS = (
    "name",
    "kind",
    "description",
    "territory",
    "pilot_start",
    "pilot_end",
    "default_mode",
    "default_venue",
    "default_duration",
    "open_to_requests",
    "visibility",
    "admission",
    "video_provider",
    "video_url",
    "skip_holidays",
    "info_round_open_days",
    "info_round_deadline_hours",
    "reminder_hours",
    "office_hours_start",
    "office_hours_end",
    "minutes_approved_at_next_session",
)


def _check_video(series: Series) -> None:
    if series.video_provider == Series.VideoProvider.EXTERNAL and not series.video_url:
        raise ValidationError({"video_url": _("Paste the link of the videoconference.")})


@transaction.atomic
def series_create(*, actor: User, coordinators=(), organisations=(), operators=(), **fields) -> Series:
    """Create a series; its creator coordinates it, the chosen operators take
    part from the start, and its agenda template v1 is published (the defaults).
    A visibility or admission left empty is the kind's default (KIND_DEFAULTS)."""
    require_perm(actor, "meetings.add_series")
    series = Series(**{k: v for k, v in fields.items() if k in SERIES_FIELDS and v != ""}, created_by=actor)
    visibility, admission = KIND_DEFAULTS.get(series.kind, (series.visibility, series.admission))
    series.visibility = fields.get("visibility") or visibility
    series.admission = fields.get("admission") or admission
    _check_video(series)
    series.full_clean()
    series.save()
    series.coordinators.set({actor, *coordinators})
    series.organisations.set(organisations)
    since = series.pilot_start or timezone.localdate()
    for operator in operators:
        Participation.objects.create(series=series, operator=operator, since=since)
    agenda_template_ensure(series=series, actor=actor)
    audit_record(actor=actor, action="series.create", obj=series)
    return series


@transaction.atomic
def series_update(*, actor: User, series: Series, coordinators=None, organisations=None, **fields) -> Series:
    """Save the series' settings. Sessions already generated stay as they are.

    When a coordinator is removed, the series' feed gets a new address: the
    one they may have kept shows them nothing more.
    """
    require_perm(actor, "meetings.change_series", series)
    for key, value in fields.items():
        if key in SERIES_FIELDS:
            setattr(series, key, value)
    _check_video(series)
    series.full_clean()
    series.save()
    if coordinators is not None:
        if not coordinators:
            raise ValidationError({"coordinators": _("A series keeps at least one coordinator.")})
        removed = set(series.coordinators.values_list("pk", flat=True)) - {user.pk for user in coordinators}
        if removed:  # before the change: the actor may be the coordinator who leaves
            series_feed_regenerate(actor=actor, series=series)
        series.coordinators.set(coordinators)
    if organisations is not None:
        series.organisations.set(organisations)
    audit_record(actor=actor, action="series.update", obj=series)
    return series


@transaction.atomic
def participation_add(
    *, actor: User, series: Series, operator: Operator, since: datetime.date | None = None, via_request=None
) -> Participation:
    """Make `operator` take part in `series` from `since` (today by default)."""
    require_perm(actor, "meetings.change_series", series)
    if not operator.is_active:
        raise ValidationError(_("This operator is no longer active."))
    if series.participations.filter(operator=operator, until__isnull=True).exists():
        raise ValidationError(_("%(operator)s already takes part in this series.") % {"operator": operator})
    participation = Participation.objects.create(
        series=series, operator=operator, since=since or timezone.localdate(), via_request=via_request
    )
    audit_record(actor=actor, action="participation.add", obj=series, detail={"operator": operator.pk})
    if via_request is None:  # an accepted request is answered by its own notification
        _participation_referents_notify(participation=participation, actor=actor)
    return participation


def _participation_referents_notify(*, participation: Participation, actor: User) -> None:
    """Tell the operator's referents, after commit, that their operator now takes part in the series.

    The series' coordinators may from then on manage the operator's team: its
    referents know it from this email.
    """
    operator = participation.operator
    referents = operator.memberships.filter(role=MembershipRole.REFERENT, user__is_active=True).exclude(user=actor)
    context = {
        "operator_name": operator.name,
        "series_name": participation.series.name,
        "series_path": reverse("meetings:series_detail", kwargs={"series_id": participation.series.public_id}),
    }
    for email, language in referents.values_list("user__email", "user__language"):
        email_send_later(template="participation_added", to=email, language=language, context=context)


@transaction.atomic
def participation_end(*, actor: User, participation: Participation, until: datetime.date | None = None) -> None:
    """End an operator's participation (its history stays)."""
    require_perm(actor, "meetings.change_series", participation.series)
    until = until or timezone.localdate()
    if until < participation.since:
        until = participation.since
    participation.until = until
    participation.save(update_fields=["until"])
    audit_record(
        actor=actor,
        action="participation.end",
        obj=participation.series,
        detail={"operator": participation.operator_id},
    )


@transaction.atomic
def join_request_create(*, actor: User, series: Series, operator: Operator, message: str = "") -> JoinRequest:
    """A referent asks, for their operator, to take part in an open series."""
    if user_operator_roles(actor).get(operator.pk) != MembershipRole.REFERENT:
        raise PermissionDenied
    if not series.open_to_requests:
        raise ValidationError(_("This series does not take requests."))
    if series.participations.filter(operator=operator, until__isnull=True).exists():
        raise ValidationError(_("%(operator)s already takes part in this series.") % {"operator": operator})
    if series.join_requests.filter(operator=operator, status=JoinRequest.Status.PENDING).exists():
        raise ValidationError(_("A request of %(operator)s is already waiting for an answer.") % {"operator": operator})
    request = JoinRequest.objects.create(series=series, operator=operator, requested_by=actor, message=message)
    audit_record(actor=actor, action="join_request.create", obj=request)
    return request


@transaction.atomic
def join_request_decide(*, actor: User, join_request: JoinRequest, accept: bool, reply: str = "") -> JoinRequest:
    """Accept (the operator takes part from today) or decline a pending request."""
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    require_perm(actor, "meetings.change_series", join_request.series)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request was already answered."))
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.reply = reply
    join_request.save(update_fields=["status", "decided_by", "decided_at", "reply"])
    if accept:
        participation_add(
            actor=actor, series=join_request.series, operator=join_request.operator, via_request=join_request
        )
    audit_record(actor=actor, action="join_request.decide", obj=join_request, detail={"accepted": accept})
    return join_request
