"""Reads of a series' charter: the charter page of a person, the coordinators'
draft, and who has accepted which version (the signatories page and its exports).

Where a person stands with the current version is one fact computed in one
place (`standing_of`), from the records of acceptance and withdrawal.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from accounts.models import User
from operators.models import OperatorMembership

from ..models import Charter, CharterAcceptance, CharterReminder, CharterVersion, Series
from .access import charter_locked_series_ids


class Standing(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("charter standing", "Accepted")
    OUTDATED = "outdated", pgettext_lazy("charter standing", "Accepted an earlier version")
    WITHDRAWN = "withdrawn", pgettext_lazy("charter standing", "Withdrawn")
    PENDING = "pending", pgettext_lazy("charter standing", "Not accepted yet")


@dataclass
class PersonStanding:
    """Where one person stands with a charter: their standing on the current
    version, their latest acceptance (of any version) and latest record."""

    standing: str
    accepted: CharterAcceptance | None = None  # the latest acceptance, of whichever version
    latest: CharterAcceptance | None = None  # the latest record, acceptance or withdrawal

    @property
    def label(self) -> str:
        return Standing(self.standing).label


def standing_of(records: list[CharterAcceptance], current: CharterVersion | None) -> PersonStanding:
    """A person's standing, from their records of one charter in the order they were made."""
    if not records:
        return PersonStanding(Standing.PENDING)
    latest = records[-1]
    accepted = next((r for r in reversed(records) if r.kind == CharterAcceptance.Kind.ACCEPTED), None)
    on_current = [r for r in records if current is not None and r.version_id == current.pk]
    if on_current and on_current[-1].kind == CharterAcceptance.Kind.ACCEPTED:
        return PersonStanding(Standing.ACCEPTED, accepted, latest)
    if on_current:  # the latest word on the current version is a withdrawal
        return PersonStanding(Standing.WITHDRAWN, accepted, latest)
    if accepted is not None and latest.kind == CharterAcceptance.Kind.ACCEPTED:
        return PersonStanding(Standing.OUTDATED, accepted, latest)
    if accepted is not None:
        return PersonStanding(Standing.WITHDRAWN, accepted, latest)
    return PersonStanding(Standing.PENDING, None, latest)


def charter_of(series: Series) -> Charter | None:
    """The series' charter with its current version and the draft's last author, if it has one."""
    return Charter.objects.select_related("current_version", "draft_updated_by").filter(series=series).first()


def _records(charter: Charter, user_ids=None) -> list[CharterAcceptance]:
    records = CharterAcceptance.objects.filter(version__charter=charter).select_related("version")
    if user_ids is not None:
        records = records.filter(user_id__in=user_ids)
    return list(records.order_by("at", "pk"))


@dataclass
class CharterPage:
    """What the charter page shows a person."""

    series: Series
    charter: Charter | None
    version: CharterVersion | None  # the version in force
    standing: PersonStanding
    is_coordinator: bool
    may_accept: bool
    versions: list[CharterVersion] = field(default_factory=list)  # every published version, newest first


def charter_page(*, user, series: Series) -> CharterPage:
    """The charter page of `series` for `user` (already allowed to read it): 3 queries."""
    charter = charter_of(series)
    version = charter.current_version if charter else None
    is_coordinator = user.has_perm("meetings.change_series", series)
    standing = standing_of(_records(charter, [user.pk]), version) if charter else PersonStanding(Standing.PENDING)
    return CharterPage(
        series=series,
        charter=charter,
        version=version,
        standing=standing,
        is_coordinator=is_coordinator,
        may_accept=version is not None and not is_coordinator and user.has_perm("meetings.accept_charter", series),
        versions=list(charter.versions.order_by("-number")) if charter else [],
    )


def series_held_by_charter(user) -> list[Series]:
    """The series the person takes part in but may not see until they accept their
    charter, by name (no query when there is none)."""
    locked = charter_locked_series_ids(user)
    return list(Series.objects.filter(pk__in=locked).order_by("name")) if locked else []


def charter_to_accept(*, series: Series) -> CharterVersion | None:
    """The version someone asking to join must accept, when the series requires its charter."""
    charter = charter_of(series)
    return charter.current_version if charter is not None and charter.is_gate else None


@dataclass
class Signatory:
    person: User
    operators: list[str]  # the names of their operators taking part in the series now
    standing: PersonStanding


@dataclass
class SignatoriesPage:
    series: Series
    charter: Charter | None
    version: CharterVersion | None
    signatories: list[Signatory]
    coordinators: list[User]
    counts: dict[str, int]  # {standing: number of people}
    last_reminder: CharterReminder | None


def signatories_page(*, series: Series) -> SignatoriesPage:
    """Who has accepted which version of the series' charter: every person of an
    operator taking part now, every individual participant, and everyone who ever
    answered it (they may have left since), by name; its coordinators apart (they
    write it). Six queries
    whatever the number of people and records (tests/meetings/test_charter_selectors.py)."""
    charter = charter_of(series)
    coordinators = list(series.coordinators.order_by("name", "email"))
    if charter is None:
        return SignatoriesPage(series, None, None, [], coordinators, {}, None)
    version = charter.current_version
    taking_part = Q(
        memberships__operator__participations__series=series,
        memberships__operator__participations__until__isnull=True,
    )
    # Individual participants: registrations of the registrations app, read through the
    # relation it declares on people (see selectors.access.individual_series).
    individual = Q(
        registrations__series=series, registrations__session__isnull=True, registrations__status="registered"
    )
    people = list(
        User.objects.filter(taking_part | individual | Q(charter_acceptances__version__charter=charter))
        .exclude(pk__in=[c.pk for c in coordinators])
        .distinct()
        .order_by("name", "email")
    )
    operators: dict[int, list[str]] = {}
    rows = (
        OperatorMembership.objects.filter(
            user__in=people, operator__participations__series=series, operator__participations__until__isnull=True
        )
        .order_by("operator__name")
        .values_list("user_id", "operator__name")
        .distinct()
    )
    for user_id, name in rows:
        operators.setdefault(user_id, []).append(name)
    by_person: dict[int, list[CharterAcceptance]] = {}
    for record in _records(charter):
        by_person.setdefault(record.user_id, []).append(record)
    signatories = [
        Signatory(person, operators.get(person.pk, []), standing_of(by_person.get(person.pk, []), version))
        for person in people
    ]
    counts = dict.fromkeys(Standing.values, 0)
    for signatory in signatories:
        counts[signatory.standing.standing] += 1
    last_reminder = version.reminders.select_related("sent_by").first() if version else None
    return SignatoriesPage(series, charter, version, signatories, coordinators, counts, last_reminder)
