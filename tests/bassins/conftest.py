import datetime

import pytest
from django.utils import timezone

from bassins.models import BassinMember, Team
from bassins.services import week_open
from operators.models import MembershipRole, Territory

from ..factories import MembershipFactory, OperatorFactory, UserFactory


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


@pytest.fixture
def week(sud, bassin_coordinator):
    today = timezone.localdate()
    return week_open(
        actor=bassin_coordinator,
        bassin=sud,
        starts_on=today + datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=11),
        description="Venez découvrir les services du bassin.",
    )


@pytest.fixture
def host(municipality):
    """A service of Forest, in the Bassin Sud, with its referent."""
    op = OperatorFactory(name="SSM de Forest", territory=municipality("Forest"))
    MembershipFactory(
        operator=op, role=MembershipRole.REFERENT, user__name="Inès Morel", user__email="ines@example.org"
    )
    return op
