"""Whom the meetings' news is for, in a fixed number of queries whatever the number of series."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from operators.models import OperatorMembership

from ..models import Participation, Series, Session


def member_ids_by_operator(operator_ids: Iterable[int]) -> dict[int, set[int]]:
    """Active members (any role) of each operator."""
    members = defaultdict(set)
    rows = OperatorMembership.objects.filter(operator_id__in=set(operator_ids), user__is_active=True).values_list(
        "operator_id", "user_id"
    )
    for operator_id, user_id in rows:
        members[operator_id].add(user_id)
    return members


def participating_operators(series_ids: Iterable[int]) -> dict[int, set[int]]:
    """The operators taking part in each series now."""
    operators = defaultdict(set)
    rows = Participation.objects.filter(series_id__in=set(series_ids), until__isnull=True).values_list(
        "series_id", "operator_id"
    )
    for series_id, operator_id in rows:
        operators[series_id].add(operator_id)
    return operators


def series_coordinators(series_ids: Iterable[int]) -> dict[int, set[int]]:
    coordinators = defaultdict(set)
    rows = Series.coordinators.through.objects.filter(series_id__in=set(series_ids), user__is_active=True).values_list(
        "series_id", "user_id"
    )
    for series_id, user_id in rows:
        coordinators[series_id].add(user_id)
    return coordinators


# Individual participants and registrations belong to the registrations app,
# which sits above meetings: read through the relations it declares on
# Series and Session ("registered" is its Registration.Status.REGISTERED).


def individual_participants(series_ids: Iterable[int]) -> dict[int, set[int]]:
    """The people registered in their own name to each whole series."""
    people = defaultdict(set)
    rows = Series.objects.filter(
        pk__in=set(series_ids),
        registrations__session__isnull=True,
        registrations__status="registered",
        registrations__user__is_active=True,
    ).values_list("pk", "registrations__user_id")
    for series_id, user_id in rows:
        people[series_id].add(user_id)
    return people


def session_registrants(session_ids: Iterable[int]) -> dict[int, set[int]]:
    """The people registered to each session on its own."""
    people = defaultdict(set)
    rows = Session.objects.filter(
        pk__in=set(session_ids), registrations__status="registered", registrations__user__is_active=True
    ).values_list("pk", "registrations__user_id")
    for session_id, user_id in rows:
        people[session_id].add(user_id)
    return people


@dataclass(frozen=True)
class Audience:
    """Whom the news of some series is for, by the way they take part."""

    operators: dict[int, set[int]]  # series id → its operators taking part now
    members: dict[int, set[int]]  # operator id → its active people
    own: dict[int, set[int]]  # series id → its coordinators and individual participants

    def of(self, series_id: int) -> set[int]:
        """Everybody the series' news is for."""
        people = set(self.own.get(series_id, ()))
        for operator_id in self.operators.get(series_id, ()):
            people |= self.members.get(operator_id, set())
        return people


def series_audience(series_ids: Iterable[int]) -> Audience:
    """The Audience of these series (4 queries)."""
    series_ids = set(series_ids)
    operators = participating_operators(series_ids)
    members = member_ids_by_operator({op for ops in operators.values() for op in ops})
    own = series_coordinators(series_ids)
    for series_id, people in individual_participants(series_ids).items():
        own[series_id] |= people
    return Audience(operators=operators, members=members, own=own)


def series_participants(series_ids: Iterable[int]) -> dict[int, set[int]]:
    """Everybody a series' news is for: its coordinators, the members of its
    operators and its individual participants (4 queries)."""
    series_ids = set(series_ids)
    audience = series_audience(series_ids)
    return {series_id: audience.of(series_id) for series_id in series_ids}
