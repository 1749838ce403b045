"""The Bassin Nord thematic concertation (seed 003): open to every
professional of the social and health sector, a session with places."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Admission, Visibility
from operators.models import Territory

from ..factories import SeriesFactory, SessionFactory, TerritoryFactory


@pytest.fixture
def thematic(coordinator):
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
    """The next date, with two places, in ten days."""
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    return SessionFactory(
        series=thematic, starts_at=start, ends_at=start + datetime.timedelta(hours=2, minutes=30), capacity=2
    )
