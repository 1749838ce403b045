"""Writes on absences and on a series' closed periods (what chasing respects:
meetings.selectors.absences says how)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.permissions import require_perm
from core.services import audit_record
from operators.models import Operator, OperatorMembership

from ..models import Absence, Series, SeriesClosure

# An absence or a closed period longer than this is a mistake (a year typed wrong).
MAX_DAYS = 366


def _check_period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end comes before the start.")})
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise ValidationError({"ends_on": _("A period lasts a year at most.")})


def _check_substitute(*, substitute: User | None, operator: Operator | None, user: User | None) -> None:
    if substitute is None:
        return
    if not substitute.is_active or substitute == user:
        raise ValidationError({"substitute": _("Choose a colleague who can stand in.")})
    operators = [operator.pk] if operator else list(user.memberships.values_list("operator_id", flat=True))
    if not OperatorMembership.objects.filter(user=substitute, operator_id__in=operators).exists():
        raise ValidationError({"substitute": _("The substitute must be a member of the same operator.")})


@transaction.atomic
def absence_declare(
    *,
    actor: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    operator: Operator | None = None,
    user: User | None = None,
    substitute: User | None = None,
) -> Absence:
    """Declare that an operator (its members or its series' coordinators may)
    or a person (themselves only) is away from `starts_on` to `ends_on`
    (Brussels dates, inclusive), with an optional substitute among the members
    of the same operator. From then on, the info-round emails follow it."""
    if (operator is None) == (user is None):
        raise ValidationError(_("Say who is away: an operator or a person."))
    if operator is not None:
        require_perm(actor, "meetings.declare_operator_absence", operator)
    else:
        require_perm(actor, "meetings.declare_person_absence", user)
    _check_period(starts_on, ends_on)
    if ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("This period is over: declare a current or coming absence.")})
    _check_substitute(substitute=substitute, operator=operator, user=user)
    absence = Absence.objects.create(
        operator=operator, user=user, starts_on=starts_on, ends_on=ends_on, substitute=substitute, declared_by=actor
    )
    audit_record(
        actor=actor,
        action="absence.declare",
        obj=absence,
        detail={"operator": operator.pk if operator else None, "user": user.pk if user else None},
    )
    return absence


@transaction.atomic
def absence_withdraw(*, actor: User, absence: Absence) -> None:
    """Withdraw an absence that is not over (one that is over is part of the record)."""
    require_perm(actor, "meetings.change_absence", absence)
    if absence.ends_on < timezone.localdate():
        raise ValidationError(_("This absence is over: it stays on record."))
    audit_record(actor=actor, action="absence.withdraw", obj=absence)
    absence.delete()


@transaction.atomic
def series_closure_add(
    *, actor: User, series: Series, starts_on: datetime.date, ends_on: datetime.date, label: str = ""
) -> SeriesClosure:
    """Add days on which the series chases nobody (the coordinators may)."""
    require_perm(actor, "meetings.change_series", series)
    _check_period(starts_on, ends_on)
    closure = SeriesClosure.objects.create(series=series, starts_on=starts_on, ends_on=ends_on, label=label.strip())
    audit_record(actor=actor, action="series.closure_add", obj=series, detail={"closure": closure.pk})
    return closure


@transaction.atomic
def series_closure_remove(*, actor: User, closure: SeriesClosure) -> None:
    require_perm(actor, "meetings.change_series", closure.series)
    audit_record(actor=actor, action="series.closure_remove", obj=closure.series, detail={"closure": closure.pk})
    closure.delete()
