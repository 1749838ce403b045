"""Territories as a hierarchy: the Brussels region, its bassins and municipalities."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from operators.forms import OperatorForm
from operators.models import Operator, Territory
from operators.selectors import bassin_municipalities, operator_directory
from operators.services import operator_set_served

from ..conftest import login
from ..factories import OperatorFactory

SUD_NAMES = ["Bruxelles", "Forest", "Ixelles", "Saint-Gilles", "Uccle", "Watermael-Boitsfort"]


@pytest.fixture
def sud(db):
    return Territory.objects.get(slug="bruxelles-sud")


def _municipality(name):
    return Territory.objects.get(name=name, kind=Territory.Kind.MUNICIPALITY)


def test_the_migration_brings_the_19_brussels_municipalities_from_statbel(db):
    region = Territory.objects.get(slug="bruxelles")
    municipalities = Territory.objects.filter(kind=Territory.Kind.MUNICIPALITY, code__startswith="21")
    assert municipalities.count() == 19
    ixelles = municipalities.get(code="21009")
    assert ixelles.name == "Ixelles" and ixelles.postal_codes == "1050"
    assert "1000" in _municipality("Bruxelles").postal_codes.split()
    assert Territory.objects.filter(kind=Territory.Kind.BASSIN, parent=region).count() == 5
    # The municipalities no source places wait for the coordinators, under the region.
    assert _municipality("Jette").parent == region


def test_bassin_sud_has_its_municipalities_and_part_of_bruxelles(sud):
    assert [t.name for t in bassin_municipalities(sud)] == SUD_NAMES
    bruxelles = _municipality("Bruxelles")
    assert bruxelles.parent.slug == "bruxelles" and list(bruxelles.split_between.all()) == [sud]


def test_directory_filters_by_bassin_and_municipality(sud):
    region = Territory.objects.get(slug="bruxelles")
    in_forest = OperatorFactory(name="SSM de Forest", territory=_municipality("Forest"))
    serves_uccle = OperatorFactory(name="Maison médicale", territory=region)
    operator_set_served(operator=serves_uccle, served=[(_municipality("Uccle"), None)])
    south_part = OperatorFactory(name="Service du Sud de la Ville", territory=region)
    operator_set_served(operator=south_part, served=[(_municipality("Bruxelles"), sud)])
    north_part = OperatorFactory(name="Service du Nord de la Ville", territory=region)
    operator_set_served(operator=north_part, served=[(_municipality("Bruxelles"), None)])
    jette = OperatorFactory(name="Jette", territory=_municipality("Jette"))

    assert set(operator_directory(bassin=sud)) == {in_forest, serves_uccle, south_part}
    assert list(operator_directory(municipality=_municipality("Uccle"))) == [serves_uccle]
    assert set(operator_directory(municipality=_municipality("Bruxelles"))) == {south_part, north_part}
    # The region finds everything under it, two levels down.
    assert set(operator_directory(territory=region)) == {in_forest, serves_uccle, south_part, north_part, jette}


def test_a_bassin_that_does_not_share_the_municipality_is_refused(sud):
    operator = OperatorFactory()
    with pytest.raises(ValidationError):
        operator_set_served(operator=operator, served=[(_municipality("Forest"), sud)])
    nord = Territory.objects.get(slug="bruxelles-nord")
    with pytest.raises(ValidationError):
        operator_set_served(operator=operator, served=[(_municipality("Bruxelles"), nord)])
    assert not operator.served.exists()


def test_the_form_offers_each_part_of_a_split_municipality_and_one_part_only(sud, territory):
    bruxelles = _municipality("Bruxelles")
    form = OperatorForm()
    values = [value for _group, options in form.fields["served"].choices for value, _label in options]
    assert f"{bruxelles.pk}:{sud.pk}" in values and str(bruxelles.pk) in values
    data = {"name": "X", "kind": Operator.Kind.SSM, "territory": territory.pk, "is_active": "on"}
    both = OperatorForm({**data, "served": [f"{bruxelles.pk}:{sud.pk}", str(bruxelles.pk)]})
    assert not both.is_valid() and "served" in both.errors
    one = OperatorForm({**data, "served": [f"{bruxelles.pk}:{sud.pk}"]})
    assert one.is_valid(), one.errors
    assert one.cleaned_data["served"] == [(bruxelles, sud)]


def test_coordinator_chooses_the_bassin_of_bruxelles_ville(client, coordinator, territory, sud):
    bruxelles = _municipality("Bruxelles")
    response = login(client, coordinator).post(
        reverse("operators:create"),
        {
            "name": "Antenne du Midi",
            "kind": Operator.Kind.SOCIAL_SERVICE,
            "territory": territory.pk,
            "is_active": "on",
            "served": [f"{bruxelles.pk}:{sud.pk}", str(_municipality("Forest").pk)],
        },
    )
    operator = Operator.objects.get(name="Antenne du Midi")
    assert response.status_code == 302
    assert {(s.territory.name, s.bassin_id) for s in operator.served.all()} == {("Bruxelles", sud.pk), ("Forest", None)}
    page = client.get(reverse("operators:detail", kwargs={"slug": operator.slug})).content.decode()
    assert "Bruxelles (partie dans le Bassin Bruxelles Sud)" in page


def test_directory_page_filters_by_bassin_slug(client, member, sud):
    OperatorFactory(name="SSM de Forest", territory=_municipality("Forest"))
    OperatorFactory(name="Ailleurs")
    response = login(client, member).get(reverse("operators:directory"), {"bassin": "bruxelles-sud"})
    assert [op.name for op in response.context["page"].object_list] == ["SSM de Forest"]
    response = client.get(reverse("operators:directory"), {"municipality": "forest"})
    assert [op.name for op in response.context["page"].object_list] == ["SSM de Forest"]
