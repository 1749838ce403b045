import pytest

from operators.models import Territory

from ..factories.helpdesk import help_desk_team


@pytest.fixture
def sud(db):
    return Territory.objects.get(slug="bruxelles-sud")


@pytest.fixture
def team(sud):
    """Two members of the Bassin Sud's help desk, then the bassin's coordinator."""
    return help_desk_team(sud, "Aïcha Team", "Bruno Team", coordinator_name="Gaëlle Coord")


@pytest.fixture
def agent(team):
    return team[0]


@pytest.fixture
def colleague(team):
    return team[1]


@pytest.fixture
def bassin_coordinator(team):
    return team[2]
