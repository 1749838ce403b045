"""The map of actors and their links: what links, what each viewer sees, the exports."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from accounts.models import User
from bassins.selectors.network import LinkKind, MapFilters, network_build, network_data, node_position
from meetings.models import Participation
from meetings.services.actions import action_record
from meetings.services.needs import need_endorse, need_raise
from operators.models import Operator, Territory
from operators.services import operator_set_served

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory, SeriesFactory, SessionFactory

SINCE = datetime.date(2024, 1, 1)


def _join(series, *operators):
    for op in operators:
        Participation.objects.create(series=series, operator=op, since=SINCE)


@pytest.fixture
def linked(series, session, coordinator, operator, other_operator, referent, other_member):
    """`operator` and `other_operator` in the Namur series: a shared need, an
    endorsement, a joint action."""
    _join(series, other_operator)
    need = need_raise(
        actor=coordinator, series=series, operator=operator, title="Lits de crise", operators_concerned=[other_operator]
    )
    need_endorse(actor=other_member, need=need, operator=other_operator)
    action_record(
        actor=coordinator, session=session, description="Écrire la procédure", owner_operator=other_operator, need=need
    )
    return need


def _link(user, a, b, filters=None):
    network = network_build(user, filters or MapFilters(), evidence_of=(a, b))
    return next((x for x in network.links if {x.source, x.target} == {a, b}), None), network


def test_links_come_from_series_actions_needs_and_endorsements(linked, coordinator, operator, other_operator):
    link, network = _link(coordinator, operator, other_operator)
    assert dict(link.kinds) == {LinkKind.SERIES: 1, LinkKind.NEED: 1, LinkKind.ENDORSEMENT: 1, LinkKind.ACTION: 1}
    assert link.count == 4
    labels = {(e.kind, e.label) for e in link.evidence}
    assert (LinkKind.SERIES, "Visioconférence des opérateurs carrefour") in labels
    assert (LinkKind.NEED, "Lits de crise") in labels and (LinkKind.ACTION, "Écrire la procédure") in labels
    # Activity: a series each, the need raised, the endorsement and the action.
    assert network.activity[operator.pk] == 2 and network.activity[other_operator.pk] == 3


def test_a_private_series_adds_no_link_for_those_outside_it(
    client, territory, coordinator, member, outsider, other_coordinator, operator, other_operator
):
    private = SeriesFactory(name="Concertation clinique fermée", kind="clinical")
    private.coordinators.add(coordinator)
    _join(private, operator, other_operator)
    # Inside: its coordinator, and a member of an operator taking part.
    assert _link(coordinator, operator, other_operator)[0] is not None
    assert _link(member, operator, other_operator)[0] is not None
    for viewer in (outsider, other_coordinator):
        link, network = _link(viewer, operator, other_operator)
        assert link is None and network.links == []
        assert network.activity[operator.pk] == 0  # not even a node's size tells
    # Nor through the pages.
    login(client, outsider)
    data = client.get(reverse("bassins:map_data")).json()
    assert data["edges"] == [] and {n["data"]["label"] for n in data["nodes"]} >= {"Canopée", "Polaris"}
    url = reverse("bassins:map_link", kwargs={"a": operator.slug, "b": other_operator.slug})
    assert client.get(url).status_code == 404
    table = client.get(reverse("bassins:map_table")).content.decode()
    assert "Concertation clinique fermée" not in table
    panel = client.get(reverse("bassins:operator_links", kwargs={"slug": operator.slug})).content.decode()
    assert "Polaris" not in panel


def test_filters_keep_the_bassin_kind_and_period(linked, coordinator, operator, other_operator):
    sud = Territory.objects.get(slug="bruxelles-sud")
    forest = Territory.objects.get(name="Forest")
    brussels = OperatorFactory(name="SSM de Forest", kind=Operator.Kind.SSM, territory=forest)
    served = OperatorFactory(name="Service du Sud", kind=Operator.Kind.SOCIAL_SERVICE)
    operator_set_served(operator=served, served=[(forest, None)])
    network = network_build(coordinator, MapFilters(bassin=sud))
    assert network.operators == [brussels, served]
    network = network_build(coordinator, MapFilters(kind=Operator.Kind.SSM, bassin=sud))
    assert network.operators == [brussels]
    # A period before anything was recorded keeps the series link only (the participations).
    link, _ = _link(coordinator, operator, other_operator, MapFilters(until=datetime.date(2024, 6, 30)))
    assert dict(link.kinds) == {LinkKind.SERIES: 1}


def test_positions_are_stable_and_do_not_depend_on_the_filters(linked, coordinator, operator):
    first = network_data(network_build(coordinator, MapFilters()))
    again = network_data(network_build(coordinator, MapFilters(kind=operator.kind)))
    where = {n["data"]["id"]: n["position"] for n in first["nodes"]}
    assert all(where[n["data"]["id"]] == n["position"] for n in again["nodes"])
    assert node_position(operator) == node_position(Operator.objects.get(pk=operator.pk))


@pytest.mark.parametrize("count", [1, 30])
def test_data_endpoint_in_a_fixed_number_of_queries(
    client, series, coordinator, territory, count, django_assert_num_queries
):
    session = SessionFactory(series=series)
    extra = OperatorFactory.create_batch(count, territory=territory)
    _join(series, *extra)
    for op in extra:
        MembershipFactory(operator=op)
        need = need_raise(actor=coordinator, series=series, operator=op, title=f"Besoin {op.pk}")
        action_record(actor=coordinator, session=session, description="Relire", owner_operator=op, need=need)
    login(client, coordinator)
    # session, user, savepoint pair, the filters' territories, operators, series, coordinated series,
    # memberships, participating series; the links read: participations, actions, needs, their
    # operators concerned, endorsements, open-doors visits, the help desk's collaborations.
    with django_assert_num_queries(17):
        response = client.get(reverse("bassins:map_data"))
    assert len(response.json()["nodes"]) == count + 1  # and Canopée
    assert len(response.json()["edges"]) == count * (count + 1) // 2  # every pair shares the series
    # Then kept in the cache: the same graph without the filters' territories, the operators and the
    # seven reads of links; the series the person may see are read at each request (the permission).
    with django_assert_num_queries(6):
        again = client.get(reverse("bassins:map_data"))
    assert again.json() == response.json()


def test_evidence_page_and_partial(linked, client, member, operator, other_operator):
    url = reverse("bassins:map_link", kwargs={"a": operator.slug, "b": other_operator.slug})
    page = login(client, member).get(url).content.decode()
    assert "Lits de crise" in page and "Visioconférence des opérateurs carrefour" in page
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Lits de crise" in partial and "<html" not in partial


def test_table_lists_each_operator_with_its_links(linked, client, member):
    body = login(client, member).get(reverse("bassins:map_table")).content.decode()
    assert "Canopée" in body and "Polaris" in body and "même série" in body and "(4)" in body


def test_exports_for_coordinators_only(linked, client, coordinator, member):
    assert login(client, member).get(reverse("bassins:map_edges_csv")).status_code == 403
    login(client, coordinator)
    nodes = client.get(reverse("bassins:map_nodes_csv")).content.decode("utf-8-sig")
    assert "canopee" in nodes and "polaris" in nodes
    edges = client.get(reverse("bassins:map_edges_csv")).content.decode("utf-8-sig").splitlines()
    assert edges[1].startswith("canopee,polaris,4,")
    root = ET.fromstring(client.get(reverse("bassins:map_graphml")).content)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall("g:graph/g:node", ns)) == 2 and len(root.findall("g:graph/g:edge", ns)) == 1


def test_bad_filters_are_ignored(linked, client, member):
    response = login(client, member).get(reverse("bassins:map_data"), {"since": "hier", "bassin": "<script>"})
    assert response.status_code == 200 and len(response.json()["edges"]) == 1


def test_the_links_kept_are_dropped_by_a_write(linked, client, series, coordinator, operator, territory):
    """A write of what the links come from (here a need concerning two operators
    of the series) drops the links kept: the next map counts it."""
    third = OperatorFactory(territory=territory)
    _join(series, third)
    login(client, coordinator)
    pair = {f"op{operator.pk}", f"op{third.pk}"}

    def link_between(data):
        return next(e["data"] for e in data["edges"] if {e["data"]["source"], e["data"]["target"]} == pair)

    assert link_between(client.get(reverse("bassins:map_data")).json())["count"] == 1  # the series
    need_raise(actor=coordinator, series=series, operator=operator, title="Transport", operators_concerned=[third])
    assert link_between(client.get(reverse("bassins:map_data")).json())["count"] == 2


def test_only_the_link_asked_for_carries_its_evidence(linked, coordinator, operator, other_operator):
    """The map, its table and its exports need the kinds and counts; the evidence
    (a label and an address each) is gathered for the link a page shows."""
    network = network_build(coordinator, MapFilters())
    assert network.links and all(not link.evidence for link in network.links)
    link, _network = _link(coordinator, operator, other_operator)
    assert len(link.evidence) == link.count == 4


def _busy_series(series, coordinator, territory, count):
    """`count` more operators in the series, each with a need and an action: every pair is linked."""
    session = SessionFactory(series=series)
    extra = OperatorFactory.create_batch(count, territory=territory)
    _join(series, *extra)
    for op in extra:
        need = need_raise(actor=coordinator, series=series, operator=op, title=f"Besoin {op.pk}")
        action_record(actor=coordinator, session=session, description="Relire", owner_operator=op, need=need)
    return extra


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("name", ["bassins:map", "bassins:map_table"])
def test_map_page_and_table_in_a_fixed_number_of_queries(
    client, series, coordinator, territory, count, name, django_assert_num_queries
):
    _busy_series(series, coordinator, territory, count)
    login(client, coordinator)
    # session, user, savepoint pair, the series the person may see (series, coordinated series,
    # memberships, series taken part in as an individual: no operator, no participations read),
    # the coordinators' group (the navigation, the export buttons); on a miss only: the filters' territories,
    # the operators and the seven reads of links.
    with django_assert_num_queries(18):
        cold = client.get(reverse(name)).content.decode()
    # Kept in the cache: the page's content (its counts, its table) for the person and the filters.
    with django_assert_num_queries(7):
        warm = client.get(reverse(name)).content.decode()
    main = slice(warm.index('id="main"'), warm.index("</main>"))  # the CSRF token in the head differs
    assert warm[main] == cold[main] and f"{count + 1} opérateurs" in warm


def _get(client, name, **params) -> str:
    return client.get(reverse(name), params).content.decode()


@pytest.mark.parametrize("name", ["bassins:map", "bassins:map_table"])
def test_the_pages_kept_show_a_write_at_once(linked, client, series, coordinator, operator, territory, name):
    """A new link (a need concerning a new operator of the series) and a new name are
    shown at the next visit, not the page kept in the cache."""
    login(client, coordinator)
    assert "2 opérateurs" in _get(client, name) and "1 lien" in _get(client, name)
    third = OperatorFactory(name="Tiers Lieu", territory=territory)
    _join(series, third)
    assert "3 opérateurs" in _get(client, name) and "3 liens" in _get(client, name)
    need_raise(actor=coordinator, series=series, operator=operator, title="Transport", operators_concerned=[third])
    if name == "bassins:map_table":
        assert "même série, besoin partagé (2)" in _get(client, name)
    third.name = "Tiers Lieu renommé"
    third.save()
    assert "Tiers Lieu renommé" in _get(client, "bassins:map_table")


def test_each_person_has_their_own_page(client, territory, coordinator, member, outsider, operator, other_operator):
    """The page and the table are kept for one person: a private series' link seen by
    its coordinator is not served to someone outside it, nor the export buttons to a member."""
    private = SeriesFactory(name="Concertation clinique fermée", kind="clinical")
    private.coordinators.add(coordinator)
    _join(private, operator, other_operator)
    for name in ("bassins:map", "bassins:map_table"):
        login(client, coordinator)
        inside = _get(client, name)
        assert "1 lien" in inside and reverse("bassins:map_edges_csv") in inside
        client.logout()
        login(client, outsider)
        outside = _get(client, name)
        assert "0 lien" in outside and reverse("bassins:map_edges_csv") not in outside
        client.logout()
    login(client, member)  # sees the link (their operator takes part), not the exports
    table = _get(client, "bassins:map_table")
    assert "1 lien" in table and reverse("bassins:map_edges_csv") not in table


def test_each_language_has_its_own_table(linked, client, coordinator):
    login(client, coordinator)
    french = _get(client, "bassins:map_table")
    assert "même série" in french and "Tableau des liens" in french
    User.objects.filter(pk=coordinator.pk).update(language="en")
    english = _get(client, "bassins:map_table")
    assert "same series" in english and "Table of the links" in english and "même série" not in english
    english_map = _get(client, "bassins:map")
    assert "Map of the actors and their links" in english_map and "2 operators" in english_map


def test_the_table_shows_its_operators_a_page_at_a_time(client, series, coordinator, territory, operator):
    """30 more operators: two pages of 25, whose links keep the filters; a page's
    links to the evidence keep them too."""
    _busy_series(series, coordinator, territory, 30)
    login(client, coordinator)
    names = [op.name for op in Operator.objects.filter(kind=operator.kind).order_by("name", "pk")]
    assert len(names) == 31

    def rows(page):
        return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page)

    first = _get(client, "bassins:map_table", kind=operator.kind, utm="x")
    assert rows(first) == names[:25]
    assert "Page 1 sur 2" in first and 'aria-label="Pages du tableau"' in first
    assert f'href="?kind={operator.kind}&amp;page=2"' in first
    assert "utm" not in first[first.index('id="main"') :]  # what is not a filter is not kept
    assert f'/?kind={operator.kind}">' in first  # a link's evidence, with the filters
    second = _get(client, "bassins:map_table", kind=operator.kind, page=2)
    assert rows(second) == names[25:] and "Page 2 sur 2" in second
    assert 'aria-current="page"' in second and 'rel="prev"' in second
    # A page that does not exist: the last one; not a number: the first.
    assert "Page 2 sur 2" in _get(client, "bassins:map_table", kind=operator.kind, page=9)
    assert "Page 1 sur 2" in _get(client, "bassins:map_table", kind=operator.kind, page="deux")


def test_an_operators_links_kept_for_the_person(
    linked, client, series, coordinator, outsider, operator, territory, django_assert_num_queries
):
    """The panel of an operator's links (its page) is kept for the person, with the map's links."""
    url = reverse("bassins:operator_links", kwargs={"slug": operator.slug})
    login(client, coordinator)
    assert "Polaris" in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    third = OperatorFactory(name="Tiers Lieu", territory=territory)
    _join(series, third)
    panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Polaris" in panel and "Tiers Lieu" in panel
    # Warm: session, user, savepoint pair, the operator, the series the person may see (four),
    # the coordinators' group (the navigation's context).
    with django_assert_num_queries(8):
        assert client.get(url, HTTP_HX_REQUEST="true").content.decode() == panel
    client.logout()
    login(client, outsider)
    assert "Tiers Lieu" not in client.get(url, HTTP_HX_REQUEST="true").content.decode()
