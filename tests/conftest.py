"""Personas shared by every test: who is looking at Carrefour.

The `series` fixture is a series of the Namur pilot: `coordinator`
coordinates it, `operator` (with `referent` and `member`) takes part,
`other_operator` (whose referent is `other_member`) does not, and
`other_coordinator` coordinates another series. `individual` takes part in
the series in their own name (a whole-series registration), and
`session_registrant` is registered to one of its sessions only.
"""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from core.brussels import BRUSSELS, brussels_date
from meetings.models import Admission, Visibility
from operators.models import MembershipRole, Territory

from .factories import (
    AdminFactory,
    MembershipFactory,
    OperatorFactory,
    RegistrationFactory,
    SeriesFactory,
    SessionFactory,
    TerritoryFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back
    between tests (its ids used again), the cached fragments must go too."""
    cache.clear()


@pytest.fixture
def territory(db):
    return TerritoryFactory(name="Province de Namur", slug="province-de-namur")


@pytest.fixture
def operator(territory):
    return OperatorFactory(name="Canopée", short_name="Canopée", slug="canopee", territory=territory)


@pytest.fixture
def other_operator(territory):
    return OperatorFactory(name="Polaris", short_name="Polaris", slug="polaris", territory=territory)


@pytest.fixture
def admin_user(db):
    return AdminFactory(name="Alex Admin", email="admin@example.org")


@pytest.fixture
def coordinator(db):
    return UserFactory(name="Claire Dubois", email="claire@example.org", coordinator=True)


@pytest.fixture
def other_coordinator(db):
    """A coordinator who coordinates other series than the one under test."""
    return UserFactory(name="Marc Lambert", email="marc@example.org", coordinator=True)


@pytest.fixture
def referent(operator):
    return MembershipFactory(
        operator=operator,
        role=MembershipRole.REFERENT,
        user__name="Isabelle Henrard",
        user__email="isabelle@example.org",
    ).user


@pytest.fixture
def member(operator):
    return MembershipFactory(
        operator=operator, role=MembershipRole.MEMBER, user__name="Olivier Marchal", user__email="olivier@example.org"
    ).user


@pytest.fixture
def other_member(other_operator):
    """A member of another operator."""
    return MembershipFactory(
        operator=other_operator,
        role=MembershipRole.REFERENT,
        user__name="David Wauters",
        user__email="david@example.org",
    ).user


@pytest.fixture
def outsider(db):
    """Signed in, but belongs to no operator and coordinates nothing."""
    return UserFactory(name="Paul Tiers", email="paul@example.org")


@pytest.fixture
def series(coordinator, operator, other_coordinator):
    from meetings.models import Participation

    series = SeriesFactory(
        name="Visioconférence des opérateurs carrefour",
        pilot_start=datetime.date(2020, 9, 1),
        pilot_end=datetime.date(2020, 11, 30),
    )
    series.coordinators.add(coordinator)
    Participation.objects.create(series=series, operator=operator, since=datetime.date(2020, 9, 1))
    SeriesFactory(name="Concertation clinique").coordinators.add(other_coordinator)
    return series


@pytest.fixture
def session(series):
    return SessionFactory(series=series)


@pytest.fixture
def individual(series):
    """An individual participant: registered in their own name to the whole series."""
    return RegistrationFactory(
        series=series, user__name="Sarah Lejeune", user__email="sarah@example.org", organisation_name="CPAS de Namur"
    ).user


@pytest.fixture
def registered_session(series):
    """A session of the series with registrations (an extra one: regenerations leave it)."""
    return SessionFactory(series=series, is_extra=True)


@pytest.fixture
def session_registrant(registered_session):
    """Registered to one session of the series only."""
    return RegistrationFactory(
        series=registered_session.series,
        session=registered_session,
        user__name="Karim Haddad",
        user__email="karim@example.org",
    ).user


@pytest.fixture
def thematic(coordinator):
    """The Bassin Nord thematic concertation (seed 003): public, open to every professional."""
    series = SeriesFactory(
        name="Concertation thématique Santé mentale — Bassin Nord",
        kind="thematic",
        description="Ouverte à tous·tes les acteur·rices social-santé.",
        visibility=Visibility.PUBLIC,
        admission=Admission.OPEN,
        territory=TerritoryFactory(name="Bassin Bruxelles Nord", slug="bruxelles-nord", kind=Territory.Kind.BASSIN),
    )
    series.coordinators.add(coordinator)
    return series


@pytest.fixture
def date(thematic):
    """Its next date, in ten days at 14:00 (Brussels), with two places: a
    date of the afternoon whatever the hour the suite runs (a start at night
    would end the next day, which the session form refuses)."""
    day = brussels_date(timezone.now()) + datetime.timedelta(days=10)
    start = datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=BRUSSELS)
    return SessionFactory(
        series=thematic, starts_at=start, ends_at=start + datetime.timedelta(hours=2, minutes=30), capacity=2
    )


# The suite shares its machine with others: Hypothesis's time limits would
# measure the machine's load, not the code (a property still fails on its input).
hypothesis_settings.register_profile("carrefour", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("carrefour")


PERSONAS = [
    "anonymous",
    "outsider",
    "other_member",
    "member",
    "referent",
    "other_coordinator",
    "coordinator",
    "admin",
    "individual",
    "session_registrant",
]


@pytest.fixture
def persona_client(request, db):
    """A client signed in as the named persona (`anonymous`: not signed in)."""

    def make(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            user = request.getfixturevalue("admin_user" if persona == "admin" else persona)
            client.force_login(user)
        return client

    return make


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client
