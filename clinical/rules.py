"""Who may see and do what with clinical situations. Deny by default.

The situations of a clinical series are seen only by its carrier group (the
coordinators) and by the participants who accepted the current version of
its charter (a charter must be required and published), and — unless
settings.CLINICAL_SECOND_FACTOR_REQUIRED is off — only by people who sign in
with a second factor. Admins read the access log, never the texts. A
proposal (not chosen yet) is seen by its author and the carrier group only.
"""

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied

from accounts.middleware import has_second_factor
from accounts.rules import is_admin
from meetings.models import Series
from meetings.selectors.access import charter_series_ids, coordinated_series_ids, participating_series_ids

from .models import Situation


def _second_factor_ok(user) -> bool:
    return not settings.CLINICAL_SECOND_FACTOR_REQUIRED or has_second_factor(user)


@rules.predicate
def is_carrier(user, series):
    """A coordinator of the clinical series (its carrier group), with a second factor."""
    return (
        series is not None
        and series.kind == Series.Kind.CLINICAL
        and series.pk in coordinated_series_ids(user)
        and _second_factor_ok(user)
    )


@rules.predicate
def is_signatory(user, series):
    """Takes part in the clinical series under its charter, having accepted the current version."""
    return (
        series is not None
        and series.kind == Series.Kind.CLINICAL
        and series.pk in charter_series_ids(user)
        and series.pk in participating_series_ids(user)
        and _second_factor_ok(user)
    )


@rules.predicate
def carries_situation(user, situation):
    return situation is not None and is_carrier(user, situation.series)


@rules.predicate
def reads_situation(user, situation):
    """The carrier group; its author; any signatory once it is chosen (not withdrawn)."""
    if situation is None:
        return False
    if is_carrier(user, situation.series):
        return True
    if not is_signatory(user, situation.series):
        return False
    shared = not situation.is_proposal and situation.status != Situation.Status.WITHDRAWN
    return shared or situation.author_id == user.pk


@rules.predicate
def wrote_situation(user, situation):
    return (
        situation is not None
        and situation.author_id == user.pk
        and (is_signatory(user, situation.series) or is_carrier(user, situation.series))
    )


@rules.predicate
def situation_editable(user, situation):
    return situation is not None and situation.is_proposal and not situation.is_purged


@rules.predicate
def situation_presented(user, situation):
    return situation is not None and situation.status == Situation.Status.PRESENTED and not situation.is_purged


@rules.predicate
def situation_live(user, situation):
    return situation is not None and not situation.is_purged and situation.status != Situation.Status.WITHDRAWN


rules.add_perm("clinical.view_situations", is_carrier | is_signatory)
rules.add_perm("clinical.propose_situation", is_carrier | is_signatory)
rules.add_perm("clinical.carry_series", is_carrier)
rules.add_perm("clinical.view_situation", reads_situation)
rules.add_perm("clinical.change_situation", wrote_situation & situation_editable)
rules.add_perm("clinical.withdraw_situation", wrote_situation & situation_live)
rules.add_perm("clinical.carry_situation", carries_situation & situation_live)
rules.add_perm("clinical.follow_up_situation", (wrote_situation | carries_situation) & situation_presented)
rules.add_perm("clinical.view_situation_log", wrote_situation | carries_situation)
rules.add_perm("clinical.view_access_log", is_admin)


def may(user, perm: str, obj=None) -> bool:
    """Whether the person may `perm` by the rules above alone: unlike user.has_perm, a
    superuser gets no pass (admins read the access log, never a situation)."""
    return user is not None and user.is_authenticated and user.is_active and rules.has_perm(perm, user, obj)


def require(actor, perm: str, obj=None) -> None:
    """PermissionDenied unless `may(actor, perm, obj)`: what the services check before they write."""
    if not may(actor, perm, obj):
        raise PermissionDenied
