import pytest

from operators.models import Operator, OperatorPublic, Public
from operators.selectors import operator_directory

from ..factories import OperatorFactory, TerritoryFactory


@pytest.fixture
def directory(territory):
    bxl = TerritoryFactory(name="Région de Bruxelles-Capitale", slug="bruxelles")
    nord = TerritoryFactory(name="Bassin Bruxelles Nord", slug="bruxelles-nord", parent=bxl)
    pleiade = OperatorFactory(name="Pléiade", territory=territory, kind=Operator.Kind.MOBILE_TEAM_ADULTS)
    tribu = OperatorFactory(
        name="Fil rouge de l'@tribu mobile",
        territory=territory,
        kind=Operator.Kind.MOBILE_TEAM_YOUTH,
        description="Équipe mobile enfants-ados",
    )
    OperatorPublic.objects.create(operator=tribu, public=Public.CHILDREN)
    brussels = OperatorFactory(name="SSM Le Méridien", territory=nord, kind=Operator.Kind.SSM, city="Saint-Josse")
    closed = OperatorFactory(name="Ancien service", territory=territory, is_active=False)
    return {"pleiade": pleiade, "tribu": tribu, "brussels": brussels, "closed": closed, "bxl": bxl, "nord": nord}


def test_search_ignores_accents_and_case(directory):
    assert list(operator_directory(query="PLEIADE")) == [directory["pleiade"]]
    assert list(operator_directory(query="équipe ENFANTS")) == [directory["tribu"]]
    assert list(operator_directory(query="saint-josse")) == [directory["brussels"]]
    assert list(operator_directory(query="nothing like it")) == []


def test_filters(directory):
    assert list(operator_directory(kind=Operator.Kind.SSM)) == [directory["brussels"]]
    assert list(operator_directory(public=Public.CHILDREN)) == [directory["tribu"]]
    # A region finds the operators of its bassins.
    assert list(operator_directory(territory=directory["bxl"])) == [directory["brussels"]]


def test_inactive_operators_are_hidden_unless_asked(directory):
    assert directory["closed"] not in operator_directory()
    assert directory["closed"] in operator_directory(include_inactive=True)
