"""The benchmark's dataset and its pages (devtools.bench): the query budget of
issue 7 — every measured page makes as many queries with many items as with
few — checked on the tiny network, and the floor page kept out of the portal."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from devtools.bench import runner, seed
from meetings.models import Action, CooperationNeed, Decision

pytestmark = pytest.mark.django_db


def test_the_floor_page_is_served_only_by_the_benchmark_urlconf(client):
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")
    assert client.get("/bench/floor/").status_code == 404


@override_settings(ROOT_URLCONF="devtools.bench.urls")
def test_the_floor_makes_one_query_of_its_own_behind_the_login(client, django_assert_max_num_queries):
    seed.bench_seed(size=seed.TINY)
    assert client.get("/bench/floor/").status_code == 302  # to the login page

    client.force_login(User.objects.get(email=seed.coordinator_email(seed.TINY)))
    with django_assert_max_num_queries(6):  # session, person, coordinator group, savepoints, the one query
        response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert b"<h1>" in response.content


def test_the_seed_is_made_once_per_dataset_version():
    assert seed.bench_seed(size=seed.TINY) is True
    operators = seed.Operator.objects.filter(slug__startswith="bench-").count()
    assert operators == seed.TINY.territories * seed.TINY.operators_per_territory
    assert seed.stored_version() == seed.dataset_version(seed.TINY)
    assert seed.bench_seed(size=seed.TINY) is False  # kept as it is
    assert seed.Operator.objects.filter(slug__startswith="bench-").count() == operators


@override_settings(ROOT_URLCONF="devtools.bench.urls")
def test_every_measured_page_makes_as_many_queries_with_many_items():
    seed.bench_seed(size=seed.TINY)
    pages = runner.pages(datasets=("tiny",))
    assert {"floor", "home", "series", "session", "inforound", "inforound_form", "minutes"} <= {p.key for p in pages}
    assert {"actions", "needs", "directory", "feed", "capacity"} <= {p.key for p in pages}
    assert {"bassin", "bassin_state", "map", "map_data", "map_table"} <= {p.key for p in pages}
    runner.count_queries(pages, datasets=("tiny",))
    few = {p.key: p.queries["tiny"] for p in pages}
    counts = (Action.objects.count(), CooperationNeed.objects.count(), Decision.objects.count())

    seed.bench_grow(size=seed.TINY, factor=4)
    assert Action.objects.count() == counts[0] * 5 and CooperationNeed.objects.count() == counts[1] * 5
    runner.count_queries(pages, datasets=("tiny",))
    many = {p.key: p.queries["tiny"] for p in pages}
    assert many == few


def test_the_twenty_year_dataset_is_the_same_network_with_four_times_the_history():
    """Same people, operators and series (so the same pages, for the same
    personas), four times the years and what they leave behind."""
    same = ("territories", "operators_per_territory", "people_per_operator", "series_per_territory")
    assert all(getattr(seed.HISTORY, f) == getattr(seed.LARGE, f) for f in same)
    assert seed.HISTORY.years == 4 * seed.LARGE.years and seed.HISTORY.actions == 4 * seed.LARGE.actions
    assert seed.dataset_version(seed.HISTORY) != seed.dataset_version(seed.LARGE)


def test_the_budgets_name_the_worst_page_and_a_heavy_worker():
    def page(key, p50):
        found = runner.Page(key=key, label=key, persona="")
        found.queries = {"demo": 5, "large": 5}
        found.load = {8: {"p50_ms": p50, "p95_ms": 100, "not_200": 0, "errors": 0}}
        return found

    pages = [page("floor", 10), page("a", 20), page("b", 25), page("c", 60)]
    found = runner.budgets(pages, {}, [90.0, 130.0])
    assert found["median_ratio"] == 2.5
    assert "worst page c: 6.0× the floor (budget 5×)" in found["misses"]
    assert "a gunicorn worker's RSS: 130.0 MiB (budget 120 MiB)" in found["misses"]


def test_the_guard_is_timed_on_a_vignette_of_3000_characters():
    figures = runner.time_guard(runs=3)
    assert figures["chars"] == 3000 and figures["runs"] == 3
    assert 0 < figures["median_ms"] <= figures["p95_ms"]
    print(f"\nguard: median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms, first {figures['first_check_s']} s")


def test_the_map_of_the_fluidity_check_is_a_sound_graph():
    from devtools.bench.browser import synthetic_graph

    graph = synthetic_graph(300, 1500)
    ids = {n["data"]["id"] for n in graph["nodes"]}
    assert len(ids) == 300 and len(graph["edges"]) == len({e["data"]["id"] for e in graph["edges"]}) == 1500
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in graph["edges"])
    assert graph == synthetic_graph(300, 1500)  # the same picture every run
    positions = {(n["position"]["x"], n["position"]["y"]) for n in graph["nodes"]}
    assert len(positions) == 300


def test_the_budgets_name_a_map_that_is_not_fluid():
    floor = runner.Page(key="floor", label="floor", persona="")
    fluid = {"operators": 300, "links": 1500, "draw_ms": 900, "frames": 60, "frame_p50_ms": 17, "frame_p95_ms": 80}
    found = runner.budgets([floor], {"map_fluidity": fluid})
    assert found["misses"] == ["map of 300 operators: frames p95 80 ms"]
    assert runner.budgets([floor], {"map_fluidity": {"error": "no browser"}})["misses"] == [
        "the map in Chromium: no browser"
    ]
