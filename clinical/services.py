"""Writes on clinical situations: propose, change, rework, choose, note
recommendations, follow up, withdraw, purge — and the texts held for the
carrier group's confirmation.

Every text passes the anonymisation guard here too (the forms show what it
flags; a service never stores a flagged text, except from a PendingText the
carrier group confirmed). Every change is written to the access log
(SituationAccess) and the audit trail with ids only, never a text.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anonymisation.guard import check
from core.formats import day
from core.services import audit_record
from meetings.models import Series, Session
from operators.models import Operator

from .models import ClinicalSettings, FollowUp, MeetingOwner, PendingText, Recommendation, Situation, SituationAccess
from .rules import require

Status = Situation.Status
Action = SituationAccess.Action
VIGNETTE_TEXTS = ("life_context", "services_other", "tried", "question")
# A held text the carrier group never decided on is dropped after this many days.
PENDING_DAYS = 30


class Conflict(ValidationError):
    """Someone else changed the situation since the form was opened."""


def clinical_settings_for(series: Series) -> ClinicalSettings:
    """The series' clinical settings, made with the defaults the first time."""
    found, _created = ClinicalSettings.objects.get_or_create(series=series)
    return found


@transaction.atomic
def clinical_settings_update(
    *, actor, series: Series, situations_per_session: int, retention_months: int, version: int
) -> ClinicalSettings:
    """Change the carrier group's settings; a stale version is a conflict."""
    require(actor, "clinical.carry_series", series)
    current = clinical_settings_for(series)
    changed = ClinicalSettings.objects.filter(pk=current.pk, version=version).update(
        situations_per_session=situations_per_session, retention_months=retention_months, version=version + 1
    )
    if not changed:
        raise Conflict(_("Someone changed these settings meanwhile: reload the page."), code="conflict")
    audit_record(actor=actor, action="clinical.settings_update", obj=series)
    current.refresh_from_db()
    return current


@transaction.atomic
def meeting_owner_set(*, actor, session: Session, owner) -> MeetingOwner:
    """Name the carrier group's member who owns the meeting's tasks (one of its coordinators)."""
    require(actor, "clinical.carry_series", session.series)
    if owner is not None and not session.series.coordinators.filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Choose a member of the carrier group.")})
    row, _created = MeetingOwner.objects.update_or_create(session=session, defaults={"owner": owner})
    audit_record(actor=actor, action="clinical.meeting_owner_set", obj=session)
    return row


def access_record(*, user, situation: Situation, action: str) -> SituationAccess:
    """One line of the situation's access log."""
    return SituationAccess.objects.create(
        situation=situation, user=user if user is not None and user.is_authenticated else None, action=action
    )


def guard_refuse(texts: dict[str, str]) -> None:
    """ValidationError, field by field, when the guard flags any of `texts`."""
    errors = {
        field: [_("“%(passage)s”: %(reason)s") % {"passage": f.passage(text), "reason": f.message} for f in found]
        for field, text in texts.items()
        if (found := check(text))
    }
    if errors:
        raise ValidationError(errors, code="identifying")


def _check_session(series: Series, session: Session | None) -> None:
    if session is not None and (session.series_id != series.pk or session.status == Session.Status.CANCELLED):
        raise ValidationError({"session": _("Choose a meeting of this group that is not cancelled.")})


@transaction.atomic
def situation_propose(
    *,
    actor,
    series: Series,
    age_range: str,
    life_context: str,
    services=(),
    services_other: str = "",
    tried: str,
    question: str,
    preferred_session: Session | None = None,
    confirmed: bool = False,
) -> Situation:
    """A new proposal of `actor` to the series. Refused when the guard flags a text,
    unless the carrier group `confirmed` it (pending_confirm)."""
    require(actor, "clinical.propose_situation", series)
    texts = {"life_context": life_context, "services_other": services_other, "tried": tried, "question": question}
    if not confirmed:
        guard_refuse(texts)
    _check_session(series, preferred_session)
    now = timezone.now()
    situation = Situation.objects.create(
        series=series,
        author=actor,
        age_range=age_range,
        preferred_session=preferred_session,
        created_at=now,
        updated_at=now,
        **texts,
    )
    situation.services.set(list(services))
    access_record(user=actor, situation=situation, action=Action.CHANGED)
    audit_record(actor=actor, action="clinical.situation_propose", obj=situation, detail={"series": series.pk})
    return situation


def _lock(situation: Situation, version: int) -> None:
    """Raise the version, or a Conflict when it moved since the form was opened."""
    if not Situation.objects.filter(pk=situation.pk, version=version).update(
        version=version + 1, updated_at=timezone.now()
    ):
        raise Conflict(_("Someone changed this situation meanwhile: reload the page to see it."), code="conflict")
    situation.version = version + 1


@transaction.atomic
def situation_update(
    *,
    actor,
    situation: Situation,
    version: int,
    age_range: str,
    life_context: str,
    services=(),
    services_other: str = "",
    tried: str,
    question: str,
    preferred_session: Session | None = None,
    confirmed: bool = False,
) -> Situation:
    """The author rewrites a proposal (back to "proposed" after a rework asked)."""
    require(actor, "clinical.change_situation", situation)
    texts = {"life_context": life_context, "services_other": services_other, "tried": tried, "question": question}
    if not confirmed:
        guard_refuse(texts)
    _check_session(situation.series, preferred_session)
    _lock(situation, version)
    for field, value in texts.items():
        setattr(situation, field, value)
    situation.age_range = age_range
    situation.preferred_session = preferred_session
    situation.status = Status.PROPOSED
    situation.save(update_fields=[*texts, "age_range", "preferred_session", "status"])
    situation.services.set(list(services))
    access_record(user=actor, situation=situation, action=Action.CHANGED)
    audit_record(actor=actor, action="clinical.situation_update", obj=situation)
    return situation


@transaction.atomic
def situation_rework_ask(*, actor, situation: Situation, version: int, message: str) -> Situation:
    """The carrier group sends a proposal back to its author with a message (guarded too)."""
    require(actor, "clinical.carry_situation", situation)
    if not situation.is_proposal and situation.status != Status.CHOSEN:
        raise ValidationError(_("Only a proposal or a situation still to present can be sent back."))
    guard_refuse({"message": message})
    _lock(situation, version)
    situation.status, situation.rework_message, situation.session = Status.REWORK, message, None
    situation.save(update_fields=["status", "rework_message", "session"])
    access_record(user=actor, situation=situation, action=Action.CHANGED)
    audit_record(actor=actor, action="clinical.situation_rework", obj=situation)
    return situation


def chosen_count(session: Session) -> int:
    return Situation.objects.filter(session=session, status__in=[Status.CHOSEN, Status.PRESENTED]).count()


@transaction.atomic
def situation_choose(*, actor, situation: Situation, version: int, session: Session) -> Situation:
    """The carrier group chooses a proposal for a session: it goes on that session's
    agenda, as long as the session has fewer than the series' number of situations."""
    require(actor, "clinical.carry_situation", situation)
    if not situation.is_proposal:
        raise ValidationError(_("This situation is not a proposal any more."))
    _check_session(situation.series, session)
    Session.objects.select_for_update().filter(pk=session.pk).exists()
    limit = clinical_settings_for(situation.series).situations_per_session
    if chosen_count(session) >= limit:
        raise ValidationError(
            {"session": _("This meeting already has its %(count)s situations.") % {"count": limit}}, code="full"
        )
    _lock(situation, version)
    situation.status, situation.session, situation.rework_message = Status.CHOSEN, session, ""
    situation.save(update_fields=["status", "session", "rework_message"])
    access_record(user=actor, situation=situation, action=Action.CHANGED)
    audit_record(actor=actor, action="clinical.situation_choose", obj=situation, detail={"session": session.pk})
    return situation


def _present(situation: Situation) -> None:
    if situation.status == Status.CHOSEN:
        moment = situation.session.starts_at if situation.session_id else timezone.now()
        situation.status, situation.presented_at, situation.last_feedback_at = Status.PRESENTED, moment, moment
        situation.save(update_fields=["status", "presented_at", "last_feedback_at"])


@transaction.atomic
def situation_present(*, actor, situation: Situation) -> Situation:
    """The carrier group records that the situation was presented at its session."""
    require(actor, "clinical.carry_situation", situation)
    if situation.status != Status.CHOSEN:
        raise ValidationError(_("Only a situation chosen for a meeting can be presented."))
    _present(situation)
    access_record(user=actor, situation=situation, action=Action.CHANGED)
    audit_record(actor=actor, action="clinical.situation_present", obj=situation)
    return situation


@transaction.atomic
def recommendation_add(*, actor, situation: Situation, text: str, confirmed: bool = False) -> Recommendation:
    """The facilitator notes an avenue raised at the situation's session (the
    situation is then presented). Not a decision: the group is non-decisional."""
    require(actor, "clinical.carry_situation", situation)
    if situation.status not in (Status.CHOSEN, Status.PRESENTED) or situation.session_id is None:
        raise ValidationError(_("Avenues are noted for a situation presented at a meeting."))
    if not confirmed:
        guard_refuse({"text": text})
    _present(situation)
    recommendation = Recommendation.objects.create(
        situation=situation, session=situation.session, text=text, noted_by=actor
    )
    access_record(user=actor, situation=situation, action=Action.CHANGED)
    audit_record(actor=actor, action="clinical.recommendation_add", obj=situation)
    return recommendation


def feedback_session(situation: Situation, now: datetime.datetime) -> Session | None:
    """The meeting a follow-up is given for: the series' first one after the
    presentation that is not over yet (or the latest one, when none is left)."""
    later = Session.objects.filter(series_id=situation.series_id).exclude(status=Session.Status.CANCELLED)
    if situation.presented_at:
        later = later.filter(starts_at__gt=situation.presented_at)
    upcoming = later.filter(ends_at__gte=now - datetime.timedelta(hours=12)).order_by("starts_at").first()
    return upcoming or later.order_by("-starts_at").first()


@transaction.atomic
def follow_up_add(*, actor, situation: Situation, text: str, closes: bool = False, confirmed=False) -> FollowUp:
    """The presenter's brief feedback at a later meeting: it takes the situation off
    the next meetings' "retour" item; `closes` closes it."""
    require(actor, "clinical.follow_up_situation", situation)
    if not confirmed:
        guard_refuse({"text": text})
    now = timezone.now()
    follow_up = FollowUp.objects.create(
        situation=situation, session=feedback_session(situation, now), text=text, closes=closes, author=actor
    )
    situation.last_feedback_at = now
    situation.status = Status.CLOSED if closes else situation.status
    situation.save(update_fields=["last_feedback_at", "status"])
    access_record(user=actor, situation=situation, action=Action.CHANGED)
    audit_record(actor=actor, action="clinical.follow_up_add", obj=situation, detail={"closes": closes})
    return follow_up


def _purged_mark(now: datetime.datetime) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("[text deleted on %(date)s]") % {"date": day(now)}


@transaction.atomic
def situation_purge(*, situation: Situation, actor=None, now: datetime.datetime | None = None) -> Situation:
    """Replace every text of the situation (vignette, message, avenues, follow-ups)
    by "[texte supprimé le …]" in the database itself, drop its held texts, keep
    the facts (series, session, status, dates) the evaluation counts. Logged."""
    now = now or timezone.now()
    mark = _purged_mark(now)
    Situation.objects.filter(pk=situation.pk).update(
        life_context=mark,
        services_other="",
        tried=mark,
        question=mark,
        rework_message="",
        age_range="",
        purged_at=now,
        updated_at=now,
    )
    situation.services.clear()
    Recommendation.objects.filter(situation=situation).update(text=mark)
    FollowUp.objects.filter(situation=situation).update(text=mark)
    held = PendingText.objects.filter(situation=situation).delete()[0]
    situation.refresh_from_db()
    access_record(user=actor, situation=situation, action=Action.PURGED)
    audit_record(actor=actor, action="clinical.situation_purge", obj=situation, detail={"held_dropped": held})
    return situation


@transaction.atomic
def situation_withdraw(*, actor, situation: Situation) -> Situation:
    """The author withdraws their situation, or asks for its deletion before the
    retention ends: its texts are purged at once."""
    require(actor, "clinical.withdraw_situation", situation)
    if situation.status in (Status.PROPOSED, Status.REWORK, Status.CHOSEN):
        situation.status, situation.session = Status.WITHDRAWN, None
        situation.save(update_fields=["status", "session"])
    return situation_purge(situation=situation, actor=actor)


def expired_situations(now: datetime.datetime):
    """The situations whose texts are past their series' retention (from the last
    feedback; from the last change for a proposal never presented)."""
    candidates = Situation.objects.filter(purged_at__isnull=True).select_related("series__clinical_settings")
    expired = []
    for situation in candidates.exclude(status=Status.CHOSEN).iterator():
        months = getattr(getattr(situation.series, "clinical_settings", None), "retention_months", 12)
        since = situation.last_feedback_at or situation.updated_at
        if since + relativedelta(months=months) <= now:
            expired.append(situation)
    return expired


def situations_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Purge every situation past its retention, and the held texts nobody decided
    on within PENDING_DAYS; returns how many situations were purged. Safe to run twice."""
    now = now or timezone.now()
    expired = expired_situations(now)
    for situation in expired:
        situation_purge(situation=situation, now=now)
    PendingText.objects.filter(
        status=PendingText.Status.PENDING, created_at__lte=now - datetime.timedelta(days=PENDING_DAYS)
    ).update(status=PendingText.Status.REFUSED, payload={}, decided_at=now)
    return len(expired)


# --- Texts held for the carrier group's confirmation -------------------------


def _to_payload(values: dict) -> dict:
    payload = {}
    for key, value in values.items():
        if hasattr(value, "pk"):
            payload[key] = value.pk
        elif hasattr(value, "values_list") or isinstance(value, list | tuple):
            payload[key] = [getattr(v, "pk", v) for v in value]
        else:
            payload[key] = value
    return payload


@transaction.atomic
def pending_hold(
    *, actor, series: Series, target: str, values: dict, situation: Situation | None = None
) -> PendingText:
    """Hold a flagged text the author holds to be a false positive, outside the
    situation, until the carrier group confirms or refuses it (audit trail)."""
    if situation is None:
        require(actor, "clinical.propose_situation", series)
    elif target == PendingText.Target.EDIT:
        require(actor, "clinical.change_situation", situation)
    elif target == PendingText.Target.FOLLOW_UP:
        require(actor, "clinical.follow_up_situation", situation)
    else:
        require(actor, "clinical.carry_situation", situation)
    pending = PendingText.objects.create(
        series=series, situation=situation, target=target, payload=_to_payload(values), author=actor
    )
    audit_record(actor=actor, action="clinical.text_held", obj=pending, detail={"target": target})
    return pending


def _apply(pending: PendingText, author):
    values = dict(pending.payload)
    series = pending.series
    if "preferred_session" in values:
        values["preferred_session"] = Session.objects.filter(series=series, pk=values["preferred_session"]).first()
    if "services" in values:
        values["services"] = list(Operator.objects.filter(pk__in=values["services"]))
    Target = PendingText.Target
    if pending.target == Target.PROPOSAL:
        return situation_propose(actor=author, series=series, confirmed=True, **values)
    if pending.target == Target.EDIT:
        return situation_update(actor=author, situation=pending.situation, confirmed=True, **values)
    if pending.target == Target.RECOMMENDATION:
        return recommendation_add(actor=author, situation=pending.situation, confirmed=True, **values)
    return follow_up_add(actor=author, situation=pending.situation, confirmed=True, **values)


@transaction.atomic
def pending_confirm(*, actor, pending: PendingText):
    """A coordinator confirms a held text: it is written where its author meant it
    (as its author), and the held copy is emptied."""
    require(actor, "clinical.carry_series", pending.series)
    if pending.status != PendingText.Status.PENDING or pending.author is None:
        raise ValidationError(_("This text was already decided on."))
    try:
        written = _apply(pending, pending.author)
    except PermissionDenied as refused:
        raise ValidationError(
            _("Its author may no longer write there (they left the group or the situation moved on): refuse it.")
        ) from refused
    pending.status, pending.payload, pending.decided_by, pending.decided_at = (
        PendingText.Status.CONFIRMED,
        {},
        actor,
        timezone.now(),
    )
    pending.save(update_fields=["status", "payload", "decided_by", "decided_at"])
    audit_record(actor=actor, action="clinical.text_confirmed", obj=pending, detail={"target": pending.target})
    return written


@transaction.atomic
def pending_refuse(*, actor, pending: PendingText) -> PendingText:
    """A coordinator refuses a held text: it is emptied, nothing is written."""
    require(actor, "clinical.carry_series", pending.series)
    if pending.status != PendingText.Status.PENDING:
        raise ValidationError(_("This text was already decided on."))
    pending.status, pending.payload, pending.decided_by, pending.decided_at = (
        PendingText.Status.REFUSED,
        {},
        actor,
        timezone.now(),
    )
    pending.save(update_fields=["status", "payload", "decided_by", "decided_at"])
    audit_record(actor=actor, action="clinical.text_refused", obj=pending, detail={"target": pending.target})
    return pending
