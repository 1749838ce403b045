"""A bassin's page, its working groups and its état des lieux."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bassins.models import BassinMember, StateNote, Team, WorkingGroup
from bassins.selectors.bassin import bassin_page, bassin_state
from bassins.services import bassin_working_groups_create
from meetings.models import NeedStage, Participation, Series
from meetings.services.needs import need_raise
from operators.models import Operator, OperatorPublic, Public
from operators.services import operator_set_served

from ..conftest import login
from ..factories import OperatorFactory, SeriesFactory, SessionFactory, UserFactory


def test_working_groups_come_from_the_template_of_four_themes(sud, bassin_coordinator):
    created = bassin_working_groups_create(actor=bassin_coordinator, bassin=sud)
    assert [wg.theme for wg in created] == ["mental_health", "health_crisis", "prevention", "liaison"]
    assert {wg.series.kind for wg in created} == {Series.Kind.WORKING_GROUP}
    assert {wg.series.territory for wg in created} == {sud}
    assert all(bassin_coordinator in wg.series.coordinators.all() for wg in created)
    assert bassin_working_groups_create(actor=bassin_coordinator, bassin=sud) == []
    assert WorkingGroup.objects.filter(bassin=sud).count() == 4


def test_only_the_coordination_team_creates_working_groups(client, sud, coordinator):
    url = reverse("bassins:working_groups_create", kwargs={"slug": sud.slug})
    assert login(client, coordinator).post(url).status_code == 403
    assert not WorkingGroup.objects.exists()


def test_bassin_page_shows_teams_groups_and_the_sessions_one_may_see(client, sud, bassin_coordinator, member, operator):
    helper = UserFactory(name="Youssef Amrani")
    BassinMember.objects.create(bassin=sud, user=helper, team=Team.SUPPORT, role="Brusano")
    bassin_working_groups_create(actor=bassin_coordinator, bassin=sud)
    mental = WorkingGroup.objects.get(bassin=sud, theme="mental_health").series
    Participation.objects.create(series=mental, operator=operator, since=datetime.date(2024, 1, 1))
    crisis = WorkingGroup.objects.get(bassin=sud, theme="health_crisis").series
    soon = timezone.now() + datetime.timedelta(days=3)
    seen = SessionFactory(series=mental, starts_at=soon, ends_at=soon + datetime.timedelta(hours=2))
    SessionFactory(series=crisis, starts_at=soon, ends_at=soon + datetime.timedelta(hours=2))

    page = bassin_page(member, sud)
    assert [m.user for m in page.content.coordination] == [bassin_coordinator]
    assert [m.user for m in page.content.support] == [helper]
    assert [row.visible for row in page.content.working_groups] == [True, False, False, False]
    # The crisis group's session is not the member's.
    assert [(s.public_id, s.series_name) for s in page.upcoming] == [(seen.public_id, mental.name)]

    body = login(client, member).get(reverse("bassins:detail", kwargs={"slug": sud.slug})).content.decode()
    assert "Gaëlle Thiry" in body and "Coordinatrice du bassin" in body and "Youssef Amrani" in body
    assert "Forest" in body and "Watermael-Boitsfort" in body
    assert reverse("meetings:series_detail", kwargs={"series_id": mental.public_id}) in body
    assert reverse("meetings:series_detail", kwargs={"series_id": crisis.public_id}) not in body


@pytest.fixture
def sud_network(sud, municipality, coordinator):
    forest = OperatorFactory(name="SSM de Forest", kind=Operator.Kind.SSM, territory=municipality("Forest"))
    OperatorPublic.objects.create(operator=forest, public=Public.ADULTS)
    mm = OperatorFactory(name="Maison médicale d'Uccle", kind=Operator.Kind.MEDICAL_HOUSE, territory=sud)
    operator_set_served(operator=mm, served=[(municipality("Uccle"), None), (municipality("Bruxelles"), sud)])
    OperatorPublic.objects.create(operator=mm, public=Public.ADULTS)
    OperatorPublic.objects.create(operator=mm, public=Public.CHILDREN)
    north = OperatorFactory(name="Nord de la Ville", territory=municipality("Bruxelles"))
    operator_set_served(operator=north, served=[(municipality("Bruxelles"), None)])
    series = SeriesFactory(name="Concertation Sud", territory=sud)
    series.coordinators.add(coordinator)
    elsewhere = SeriesFactory(name="Ailleurs")
    elsewhere.coordinators.add(coordinator)
    since = datetime.date(2024, 1, 1)
    for s, op in [(series, forest), (series, mm), (elsewhere, north)]:
        Participation.objects.create(series=s, operator=op, since=since)
    need = need_raise(actor=coordinator, series=series, operator=forest, title="Orientation", themes=["Santé mentale"])
    need_raise(actor=coordinator, series=series, operator=mm, title="Liaison")
    need_raise(actor=coordinator, series=elsewhere, operator=north, title="Pas du Sud")
    return {"forest": forest, "mm": mm, "need": need}


def test_state_counts_services_municipalities_and_needs(sud, sud_network):
    state = bassin_state(sud)
    assert state.operator_count == 2
    assert dict(state.by_kind) == {"Service de santé mentale (SSM)": 1, "Maison médicale": 1}
    assert dict(state.by_public) == {"Enfants": 1, "Adultes": 2}
    counts = {m.name: n for m, n in state.by_municipality}
    # Bruxelles: only the part in this bassin counts (not the north of the city).
    assert counts == {
        "Bruxelles": 1,
        "Forest": 1,
        "Ixelles": 0,
        "Saint-Gilles": 0,
        "Uccle": 1,
        "Watermael-Boitsfort": 0,
    }
    assert state.need_count == 2
    assert dict(state.needs_by_stage)["Émergent"] == 2
    assert list(state.needs_by_theme) == [("Santé mentale", 1)]


@pytest.mark.parametrize("extra", [1, 12])
def test_state_page_in_a_fixed_number_of_queries(
    client, sud, sud_network, member, municipality, extra, django_assert_num_queries
):
    for i in range(extra):
        op = OperatorFactory(name=f"Service {i}", territory=municipality("Ixelles"))
        OperatorPublic.objects.create(operator=op, public=Public.ADULTS)
    login(client, member)
    url = reverse("bassins:state", kwargs={"slug": sud.slug})
    # session, user, savepoint pair, territory, bassin teams, the bassin's series (the key), the help
    # desk's figures (the sections other apps register), and the base page's: coordinator group,
    # memberships, two permission lookups.
    # When the content is not in the cache: operators, publics, served, needs by stage (and their
    # count), municipalities (and whether split), needs by theme, notes.
    with django_assert_num_queries(17):
        response = client.get(url)
    assert response.context["state"].operator_count == 2 + extra
    with django_assert_num_queries(10):
        client.get(url)


def test_team_adds_a_dated_sourced_note_others_may_not(client, sud, bassin_coordinator, member):
    url = reverse("bassins:note_add", kwargs={"slug": sud.slug})
    data = {
        "title": "Population",
        "body": "Environ 330 000 habitants.",
        "as_of": "2024-01-01",
        "source": "Statbel 2024",
    }
    assert login(client, member).post(url, data).status_code == 403
    response = login(client, bassin_coordinator).post(url, data)
    assert response.status_code == 302
    page = client.get(reverse("bassins:state", kwargs={"slug": sud.slug})).content.decode()
    assert "Environ 330 000 habitants." in page and "Statbel 2024" in page and "1 janvier 2024" in page
    refused = client.post(url, {**data, "as_of": "pas une date"})
    assert refused.status_code == 200 and "Environ 330 000 habitants." in refused.content.decode()


def test_state_exports_as_pdf(client, sud, sud_network, member):
    StateNote.objects.create(
        bassin=sud, title="Diagnostic", body="Texte", as_of=datetime.date(2024, 2, 1), source="ADC"
    )
    response = login(client, member).get(reverse("bassins:state_pdf", kwargs={"slug": sud.slug}))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_needs_stage_labels_cover_every_stage(sud):
    assert [label for label, _ in bassin_state(sud).needs_by_stage] == [str(label) for _, label in NeedStage.choices]


def test_unknown_bassin_is_404(client, member, municipality):
    login(client, member)
    assert client.get(reverse("bassins:detail", kwargs={"slug": "nowhere"})).status_code == 404
    # A municipality is not a bassin.
    assert client.get(reverse("bassins:detail", kwargs={"slug": municipality("Forest").slug})).status_code == 404
