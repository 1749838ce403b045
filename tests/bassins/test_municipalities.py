"""The coordinators of a bassin place the municipalities of their region in it."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bassins.selectors.bassin import bassin_municipality_choices
from bassins.services import bassin_municipalities_set
from core.models import AuditEvent
from operators.models import Territory

from ..conftest import login
from ..factories import TerritoryFactory


@pytest.fixture
def region(db):
    return Territory.objects.get(slug="bruxelles")


@pytest.fixture
def nord(db):
    return Territory.objects.get(slug="bruxelles-nord")


@pytest.fixture
def url(sud):
    return reverse("bassins:municipalities", kwargs={"slug": sud.slug})


def placed_in(bassin) -> set[str]:
    return {c.municipality.name for c in bassin_municipality_choices(bassin) if c.here}


SUD = {"Bruxelles", "Forest", "Ixelles", "Saint-Gilles", "Uccle", "Watermael-Boitsfort"}


def ids(municipality, *names) -> list[int]:
    return [municipality(name).pk for name in names]


def box(body: str, pk: int) -> str:
    """The checkbox of the municipality `pk` in the page."""
    found = re.findall(rf'<input type="checkbox"[^>]*value="{pk}"[^>]*>', body)
    assert len(found) == 1, found
    return found[0]


def test_the_region_municipalities_with_where_they_lie(sud, nord, municipality):
    Territory.objects.filter(name="Anderlecht").update(parent=nord)
    choices = {c.municipality.name: c for c in bassin_municipality_choices(sud)}
    assert len(choices) == 19
    assert {name for name, c in choices.items() if c.here} == SUD
    assert choices["Bruxelles"].split and not choices["Bruxelles"].elsewhere
    assert choices["Anderlecht"].elsewhere == nord and not choices["Anderlecht"].here
    assert not choices["Etterbeek"].here and choices["Etterbeek"].elsewhere is None


def test_a_coordinator_places_and_returns_municipalities(sud, region, bassin_coordinator, municipality):
    wanted = ids(municipality, "Bruxelles", "Forest", "Ixelles", "Saint-Gilles", "Watermael-Boitsfort", "Etterbeek")
    assert bassin_municipalities_set(actor=bassin_coordinator, bassin=sud, municipality_ids=wanted) == (1, 1)
    assert municipality("Etterbeek").parent == sud
    assert municipality("Uccle").parent == region  # unticked: back to the region
    assert placed_in(sud) == SUD - {"Uccle"} | {"Etterbeek"}
    event = AuditEvent.objects.get(action="bassin.municipalities")
    assert event.object_id == str(sud.pk) and event.detail == {"placed": 1, "removed": 1, "total": 6}


def test_a_split_municipality_is_ticked_by_several_bassins(
    sud, nord, region, admin_user, bassin_coordinator, municipality
):
    bruxelles = municipality("Bruxelles")
    bassin_municipalities_set(actor=admin_user, bassin=nord, municipality_ids=[bruxelles.pk])
    assert set(bruxelles.split_between.all()) == {sud, nord}
    assert municipality("Bruxelles").parent == region

    others = ids(municipality, "Forest", "Ixelles", "Saint-Gilles", "Uccle", "Watermael-Boitsfort")
    assert bassin_municipalities_set(actor=bassin_coordinator, bassin=sud, municipality_ids=others) == (0, 1)
    assert set(bruxelles.split_between.all()) == {nord}
    assert "Bruxelles" not in placed_in(sud) and "Bruxelles" in placed_in(nord)


def test_a_municipality_of_another_bassin_is_refused_and_nothing_is_saved(sud, nord, bassin_coordinator, municipality):
    Territory.objects.filter(name="Anderlecht").update(parent=nord)
    wanted = ids(municipality, *SUD, "Etterbeek", "Anderlecht")
    with pytest.raises(ValidationError) as refused:
        bassin_municipalities_set(actor=bassin_coordinator, bassin=sud, municipality_ids=wanted)
    assert "Anderlecht" in str(refused.value.message_dict["municipalities"])
    assert municipality("Anderlecht").parent == nord
    assert municipality("Etterbeek").parent != sud  # not half-saved
    assert placed_in(sud) == SUD
    assert not AuditEvent.objects.filter(action="bassin.municipalities").exists()


def test_a_municipality_outside_the_region_is_refused(sud, bassin_coordinator, municipality):
    elsewhere = TerritoryFactory(name="Namur", slug="namur", kind=Territory.Kind.MUNICIPALITY)
    with pytest.raises(ValidationError):
        bassin_municipalities_set(actor=bassin_coordinator, bassin=sud, municipality_ids=[elsewhere.pk])
    assert placed_in(sud) == SUD


def test_only_the_bassin_team_places_municipalities(sud, coordinator, municipality):
    with pytest.raises(PermissionDenied):
        bassin_municipalities_set(actor=coordinator, bassin=sud, municipality_ids=ids(municipality, "Etterbeek"))
    assert municipality("Etterbeek").parent.slug == "bruxelles"


def test_the_page_shows_the_ticks_and_the_municipalities_of_other_bassins(
    client, sud, nord, bassin_coordinator, municipality, url
):
    Territory.objects.filter(name="Anderlecht").update(parent=nord)
    body = login(client, bassin_coordinator).get(url).content.decode()
    assert "checked" in box(body, municipality("Forest").pk)
    assert "checked" in box(body, municipality("Bruxelles").pk)
    etterbeek = box(body, municipality("Etterbeek").pk)
    assert "checked" not in etterbeek and "disabled" not in etterbeek
    anderlecht = box(body, municipality("Anderlecht").pk)
    assert "disabled" in anderlecht and "checked" not in anderlecht
    assert "Anderlecht (dans le Bassin Bruxelles Nord)" in body
    assert "Bruxelles (partagée entre bassins)" in body
    assert "<legend" in body and "<fieldset" in body


def test_saving_places_them_and_leads_back_to_the_bassin(client, sud, bassin_coordinator, municipality, url):
    login(client, bassin_coordinator)
    response = client.post(url, {"municipalities": ids(municipality, *SUD, "Etterbeek")}, follow=True)
    assert response.redirect_chain == [(reverse("bassins:detail", kwargs={"slug": sud.slug}), 302)]
    body = response.content.decode()
    assert "Les communes du bassin sont enregistrées." in body
    assert "?municipality=etterbeek" in body
    assert municipality("Etterbeek").parent == sud

    client.post(url, {})  # every box unticked
    assert placed_in(sud) == set()
    page = client.get(reverse("bassins:detail", kwargs={"slug": sud.slug})).content.decode()
    assert "?municipality=" not in page


@pytest.mark.parametrize("hostile", ["Anderlecht", "Namur", "pas-un-nombre"])
def test_a_hostile_post_shows_the_form_error_and_saves_nothing(
    client, sud, nord, bassin_coordinator, municipality, url, hostile
):
    Territory.objects.filter(name="Anderlecht").update(parent=nord)
    TerritoryFactory(name="Namur", slug="namur", kind=Territory.Kind.MUNICIPALITY)
    value = "pas-un-nombre" if hostile == "pas-un-nombre" else Territory.objects.get(name=hostile).pk
    etterbeek = municipality("Etterbeek").pk
    response = login(client, bassin_coordinator).post(url, {"municipalities": [etterbeek, value]})
    assert response.status_code == 200  # the form again, not a 500
    form = response.context["form"]
    assert form.errors["municipalities"]
    body = response.content.decode()
    assert "invalid-feedback" in body
    assert "checked" in box(body, etterbeek)  # the person's ticks shown back
    assert placed_in(sud) == SUD
    assert municipality("Anderlecht").parent == nord


def test_others_may_not_place_municipalities(client, sud, coordinator, member, municipality, url):
    etterbeek = ids(municipality, "Etterbeek")
    for user in (coordinator, member):
        login(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"municipalities": etterbeek}).status_code == 403
    assert placed_in(sud) == SUD
    missing = reverse("bassins:municipalities", kwargs={"slug": "nulle-part"})
    assert client.get(missing).status_code == 404


def test_the_bassin_page_links_to_it_for_its_team_only(client, sud, bassin_coordinator, member, url):
    detail = reverse("bassins:detail", kwargs={"slug": sud.slug})
    assert url in login(client, bassin_coordinator).get(detail).content.decode()
    assert url not in login(client, member).get(detail).content.decode()


@pytest.mark.parametrize("count", [1, 19])
def test_the_page_in_a_fixed_number_of_queries(client, sud, admin_user, count, django_assert_num_queries):
    bassin = sud
    if count == 1:
        region = TerritoryFactory(name="Province de test", slug="province-de-test")
        bassin = TerritoryFactory(
            name="Bassin de test", slug="bassin-de-test", kind=Territory.Kind.BASSIN, parent=region
        )
        TerritoryFactory(
            name="Commune de test", slug="commune-de-test", kind=Territory.Kind.MUNICIPALITY, parent=region
        )
    # The municipalities with their parent, then the bassins sharing them.
    with django_assert_num_queries(2):
        choices = bassin_municipality_choices(bassin)
    assert len(choices) == count
    login(client, admin_user)
    # session, user, savepoint pair, bassin, municipalities, their split
    with django_assert_num_queries(7):
        response = client.get(reverse("bassins:municipalities", kwargs={"slug": bassin.slug}))
    assert len(response.context["form"].fields["municipalities"].choices) == count
