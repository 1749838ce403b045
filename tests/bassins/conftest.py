import pytest

from bassins.models import BassinMember, Team
from operators.models import Territory

from ..factories import UserFactory


@pytest.fixture
def sud(db):
    return Territory.objects.get(slug="bruxelles-sud")


@pytest.fixture
def municipality(db):
    def get(name):
        return Territory.objects.get(name=name, kind=Territory.Kind.MUNICIPALITY)

    return get


@pytest.fixture
def bassin_coordinator(sud):
    """In the Bassin Sud's coordination team, and a coordinator of the portal."""
    user = UserFactory(name="Gaëlle Thiry", email="gaelle@example.org", coordinator=True)
    BassinMember.objects.create(bassin=sud, user=user, team=Team.COORDINATION, role="Coordinatrice du bassin")
    return user
