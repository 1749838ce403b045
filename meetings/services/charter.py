"""Writes on a series' confidentiality charter: its draft, its versions, whether
it is required, and the acceptances and withdrawals of the people who take part.

Every change goes to the audit trail (identifiers and version numbers only,
never the text). Acceptances are records that are never changed or deleted:
withdrawing adds one. The coordinators of a series are not asked to accept
its charter: they write it, and publishing a version is their acceptance.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.permissions import require_perm
from core.request_cache import forget
from core.services import audit_record
from operators.models import Operator

from ..models import Charter, CharterAcceptance, CharterReminder, CharterVersion, JoinRequest, Series
from .series import join_request_create

# A reminder is sent at most once in this time for a version.
REMINDER_INTERVAL = datetime.timedelta(hours=20)


class CharterConflict(Exception):
    """Another coordinator saved the draft since the form was opened: nothing was written.
    Carries the draft as it is now."""

    def __init__(self, charter: Charter):
        super().__init__("charter draft changed meanwhile")
        self.charter = charter


def charter_ensure(*, series: Series) -> Charter:
    """The series' charter row (made, empty and required, the first time)."""
    charter, _created = Charter.objects.get_or_create(series=series)
    return charter


def _locked(series: Series) -> Charter:
    charter_ensure(series=series)
    return Charter.objects.select_for_update(of=("self",)).select_related("current_version").get(series=series)


@transaction.atomic
def charter_draft_save(*, actor: User, series: Series, title: str, body: str, revision: int) -> Charter:
    """Save the draft the coordinator opened at `revision`.

    Guarantees: written only if nobody saved it since (a conditional UPDATE);
    otherwise CharterConflict with the draft as it is now, and nothing written.
    """
    require_perm(actor, "meetings.change_series", series)
    charter = charter_ensure(series=series)
    updated = Charter.objects.filter(pk=charter.pk, draft_revision=revision).update(
        draft_title=title.strip(),
        draft_body=body,
        draft_revision=F("draft_revision") + 1,
        draft_updated_by=actor,
        draft_updated_at=timezone.now(),
    )
    charter = Charter.objects.select_related("draft_updated_by", "current_version").get(pk=charter.pk)
    if not updated:
        raise CharterConflict(charter)
    audit_record(actor=actor, action="charter.draft_save", obj=series, detail={"revision": charter.draft_revision})
    return charter


@transaction.atomic
def charter_publish(*, actor: User, series: Series, title: str, body: str, revision: int) -> CharterVersion:
    """Save the draft opened at `revision` (see charter_draft_save) and publish it as
    the next version; from then on, everyone who takes part must accept it before
    they see the series again.

    Refused (nothing written) when the draft changed since `revision`
    (CharterConflict), is empty, or says exactly what the current version says.
    """
    charter_draft_save(actor=actor, series=series, title=title, body=body, revision=revision)
    charter = _locked(series)
    title, body = charter.draft_title.strip(), charter.draft_body.strip()
    if not title or not body:
        raise ValidationError(_("Give the charter a title and a text before publishing it."))
    current = charter.current_version
    if current is not None and (current.title, current.body.strip()) == (title, body):
        raise ValidationError(_("The draft says exactly what version %(number)s says.") % {"number": current.number})
    version = CharterVersion.objects.create(
        charter=charter,
        number=(current.number if current else 0) + 1,
        title=title,
        body=charter.draft_body,
        published_by=actor,
    )
    charter.current_version = version
    charter.save(update_fields=["current_version"])
    audit_record(actor=actor, action="charter.publish", obj=series, detail={"version": version.number})
    forget(actor)
    return version


@transaction.atomic
def charter_requirement_set(*, actor: User, series: Series, required: bool) -> Charter:
    """Make accepting the charter a condition of taking part, or stop making it one."""
    require_perm(actor, "meetings.change_series", series)
    charter = _locked(series)
    if charter.required != required:
        charter.required = required
        charter.save(update_fields=["required"])
        audit_record(actor=actor, action="charter.require" if required else "charter.unrequire", obj=series)
        forget(actor)
    return charter


def _latest_word(user: User, version: CharterVersion) -> CharterAcceptance | None:
    return CharterAcceptance.objects.filter(user=user, version=version).order_by("-at", "-pk").first()


def _current_version(series: Series) -> CharterVersion:
    charter = Charter.objects.select_related("current_version").filter(series=series).first()
    if charter is None or charter.current_version is None:
        raise ValidationError(_("This series has no charter to accept."))
    return charter.current_version


@transaction.atomic
def charter_accept(*, actor: User, series: Series, signed_name: str) -> CharterAcceptance:
    """Record that `actor` accepts the current version of the series' charter,
    signing with `signed_name`, today. Accepting again what one has accepted
    records nothing new (a form sent twice)."""
    require_perm(actor, "meetings.accept_charter", series)
    signed_name = " ".join(signed_name.split())
    if not signed_name:
        raise ValidationError({"signed_name": _("Sign with your name.")})
    version = _current_version(series)
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one answer at a time per person
    latest = _latest_word(actor, version)
    if latest is not None and latest.kind == CharterAcceptance.Kind.ACCEPTED:
        return latest
    acceptance = CharterAcceptance.objects.create(
        version=version, user=actor, kind=CharterAcceptance.Kind.ACCEPTED, signed_name=signed_name
    )
    audit_record(actor=actor, action="charter.accept", obj=series, detail={"version": version.number})
    forget(actor)
    return acceptance


@transaction.atomic
def charter_withdraw(*, actor: User, series: Series) -> CharterAcceptance:
    """Withdraw `actor`'s acceptance of the current version: a new record, after
    which the series is closed to them again until they accept anew."""
    require_perm(actor, "meetings.read_charter", series)
    version = _current_version(series)
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one answer at a time per person
    latest = _latest_word(actor, version)
    if latest is None or latest.kind != CharterAcceptance.Kind.ACCEPTED:
        raise ValidationError(_("You have not accepted this version of the charter."))
    withdrawal = CharterAcceptance.objects.create(
        version=version, user=actor, kind=CharterAcceptance.Kind.WITHDRAWN, signed_name=latest.signed_name
    )
    audit_record(actor=actor, action="charter.withdraw", obj=series, detail={"version": version.number})
    forget(actor)
    return withdrawal


@transaction.atomic
def charter_remind(*, actor: User, series: Series) -> CharterReminder:
    """Ask everyone who takes part and has not accepted the current version to do so:
    the periodic scan emails each of them once (the `charter_reminder` kind).
    At most one reminder per REMINDER_INTERVAL."""
    require_perm(actor, "meetings.change_series", series)
    charter = _locked(series)
    if not charter.is_gate:
        raise ValidationError(_("There is no required charter to remind people of."))
    if charter.current_version.reminders.filter(created_at__gt=timezone.now() - REMINDER_INTERVAL).exists():
        raise ValidationError(_("A reminder already went out today. Try again tomorrow."))
    reminder = CharterReminder.objects.create(version=charter.current_version, sent_by=actor)
    audit_record(actor=actor, action="charter.remind", obj=series, detail={"version": charter.current_version.number})
    return reminder


@transaction.atomic
def join_request_with_charter(
    *, actor: User, series: Series, operator: Operator, message: str = "", signed_name: str | None = None
) -> JoinRequest:
    """Ask to join a series for `operator`; when the series requires a charter, the
    referent accepts it at the same time (`signed_name`), or nothing is written."""
    charter = Charter.objects.filter(series=series).first()
    if charter is not None and charter.is_gate:
        if signed_name is None:
            raise ValidationError(_("Accept the charter to ask to join this series."))
        charter_accept(actor=actor, series=series, signed_name=signed_name)
    return join_request_create(actor=actor, series=series, operator=operator, message=message)
