"""The needs pages: raise, detail with "nous aussi" and the coordinators' moves, the convergence board."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from meetings.models import CooperationNeed, NeedStage
from meetings.selectors.needs import needs_changed_since
from meetings.services.actions import action_record, decision_record
from meetings.services.needs import need_close, need_endorse, need_mention, need_raise

from ..conftest import login
from ..factories import OperatorFactory, SeriesFactory
from ..factories.needs import session_on, take_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(series, other_operator):
    take_part(series, other_operator)
    return other_operator


@pytest.fixture
def s1(series):
    return session_on(series, datetime.date(2020, 9, 10))


@pytest.fixture
def need(series, operator, member, s1):
    return need_raise(
        actor=member,
        series=series,
        operator=operator,
        title="Lits de crise pour adolescents",
        description="Trouver des places la nuit.",
        themes=["Crise", "Adolescents"],
        session=s1,
    )


def test_raise_page_and_post(client, series, member, operator, partners):
    url = reverse("meetings:need_raise", args=[series.public_id])
    login(client, member)
    form = client.get(url).context["form"]
    assert list(form.fields["operator"].queryset) == [operator]
    response = client.post(
        url,
        {
            "operator": operator.pk,
            "title": "Relais le week-end",
            "themes": "Continuité, week-end ,",
            "operators_concerned": [partners.pk],
        },
    )
    need = CooperationNeed.objects.get()
    assert response["Location"] == reverse("meetings:need_detail", args=[need.public_id])
    assert need.raised_by == operator and list(need.operators_concerned.all()) == [partners]
    assert sorted(need.themes.values_list("name", flat=True)) == ["Continuité", "week-end"]


def test_raise_refuses_hostile_input(client, series, member, operator, partners):
    url = reverse("meetings:need_raise", args=[series.public_id])
    login(client, member)
    response = client.post(url, {"operator": partners.pk, "title": "x"})  # another operator's id
    assert "operator" in response.context["form"].errors
    response = client.post(url, {"operator": operator.pk, "title": "<script>" * 20000, "description": "x" * 100_000})
    assert {"title", "description"} <= set(response.context["form"].errors)
    response = client.post(url, {"operator": operator.pk, "title": "  "})
    assert "title" in response.context["form"].errors
    response = client.post(url, {"operator": operator.pk, "title": "x", "themes": "!!!"})
    assert response.status_code == 200 and "themes" in response.context["form"].errors
    response = client.post(url, {"operator": operator.pk, "title": "x", "operators_concerned": ["999999"]})
    assert "operators_concerned" in response.context["form"].errors
    # An id past the database's integers is unknown too (SQLite cannot even look it up).
    response = client.post(url, {"operator": operator.pk, "title": "x", "operators_concerned": ["9" * 30]})
    assert "operators_concerned" in response.context["form"].errors
    assert not CooperationNeed.objects.exists()


def test_coordinator_may_raise_for_any_participating_operator(client, series, coordinator, operator, partners):
    response = login(client, coordinator).get(reverse("meetings:need_raise", args=[series.public_id]))
    assert list(response.context["form"].fields["operator"].queryset) == [operator, partners]


def test_detail_shows_everything(client, need, member, coordinator, partners, other_member, s1):
    need_endorse(actor=other_member, need=need, operator=partners, comment="Idem chez nous")
    decision_record(actor=coordinator, session=s1, text="En parler au réseau", need=need)
    body = login(client, member).get(reverse("meetings:need_detail", args=[need.public_id])).content.decode()
    for text in (
        "Lits de crise pour adolescents",
        "Trouver des places la nuit.",
        "Adolescents",
        "Polaris",
        "Idem chez nous",
        "En parler au réseau",
        "Pris en charge",
        "Évoqué lors de la séance du 10 septembre 2020",
        "Polaris partage ce besoin",
        "Partagé par au moins deux opérateurs",
    ):
        assert text in body, text
    assert "Nous aussi" not in body  # the raiser's member cannot endorse their own need
    assert "Confirmer le besoin" not in body


def test_us_too_makes_it_converge(client, need, partners, other_member):
    url = reverse("meetings:need_detail", args=[need.public_id])
    login(client, other_member)
    assert "Nous aussi" in client.get(url).content.decode()
    response = client.post(reverse("meetings:need_endorse", args=[need.public_id]), {"operator": partners.pk})
    assert response["Location"] == url
    need.refresh_from_db()
    assert need.stage == NeedStage.CONVERGING
    page = client.get(url).content.decode()
    assert "Convergent" in page and "Nous aussi" not in page
    # A second time: refused (the operator already shares it).
    assert (
        client.post(reverse("meetings:need_endorse", args=[need.public_id]), {"operator": partners.pk}).status_code
        == 403
    )


def test_endorse_with_another_operators_id_is_refused(
    client, need, partners, other_member, operator, territory, series
):
    third = OperatorFactory(territory=territory)
    take_part(series, third)
    response = login(client, other_member).post(
        reverse("meetings:need_endorse", args=[need.public_id]), {"operator": third.pk}
    )
    assert response.status_code == 302
    assert not need.endorsements.exists()


def test_coordinator_moves(client, need, coordinator, member):
    login(client, coordinator)
    detail = reverse("meetings:need_detail", args=[need.public_id])
    assert "Confirmer le besoin" in client.get(detail).content.decode()
    client.post(reverse("meetings:need_confirm", args=[need.public_id]))
    need.refresh_from_db()
    assert need.stage == NeedStage.STABILISED
    client.post(reverse("meetings:need_close", args=[need.public_id]), {"stage": "dropped", "reason": "Réglé ailleurs"})
    need.refresh_from_db()
    assert need.stage == NeedStage.DROPPED
    page = client.get(detail).content.decode()
    assert "Réglé ailleurs" in page and "Rouvrir" in page
    client.post(reverse("meetings:need_reopen", args=[need.public_id]))
    need.refresh_from_db()
    assert need.stage == NeedStage.STABILISED
    response = client.post(reverse("meetings:need_close", args=[need.public_id]), {"stage": "taken_up"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.stage == NeedStage.STABILISED
    login(client, member)
    assert client.post(reverse("meetings:need_confirm", args=[need.public_id])).status_code == 403


def test_board_groups_by_stage_and_theme(client, series, need, member, operator, coordinator, partners, other_member):
    other = need_raise(actor=member, series=series, operator=operator, title="Sans thème")
    need_endorse(actor=other_member, need=need, operator=partners)
    closed = need_raise(actor=member, series=series, operator=operator, title="Vieux besoin", themes=["Crise"])
    need_close(actor=coordinator, need=closed, stage="closed")
    response = login(client, member).get(reverse("meetings:need_board"))
    columns = {c.stage: c for c in response.context["board"].columns}
    assert [g.theme.name for g in columns["converging"].groups] == ["Adolescents"]
    assert [n.title for g in columns["emerging"].groups for n in g.needs] == ["Sans thème"]
    assert columns["emerging"].groups[0].theme is None
    assert [n.title for g in response.context["board"].closed.groups for n in g.needs] == ["Vieux besoin"]
    body = response.content.decode()
    assert "Sans thème" in body and "Polaris" in body and "Tableau de convergence" in body
    assert other.title in body


def test_board_filters(client, series, need, member, operator, partners, other_member, coordinator):
    need_raise(actor=coordinator, series=series, operator=partners, title="Besoin de Polaris", themes=["Logement"])
    login(client, member)
    url = reverse("meetings:need_board")

    def titles(**params):
        response = client.get(url, params)
        return sorted(n.title for c in response.context["board"].columns for g in c.groups for n in g.needs)

    assert titles(operator="polaris") == ["Besoin de Polaris"]
    assert titles(theme="logement") == ["Besoin de Polaris"]
    assert titles(series=str(series.public_id), theme="crise") == ["Lits de crise pour adolescents"]
    need_endorse(actor=other_member, need=need, operator=partners)
    assert len(titles(operator="polaris")) == 2
    response = client.get(url, {"theme": "<script>", "series": "1 OR 1=1"})
    assert response.status_code == 200 and {"theme", "series"} <= set(response.context["form"].errors)


def test_board_hides_other_series(client, member, other_coordinator, other_operator):
    elsewhere = SeriesFactory()
    elsewhere.coordinators.add(other_coordinator)
    take_part(elsewhere, other_operator)
    need_raise(actor=other_coordinator, series=elsewhere, operator=other_operator, title="Ailleurs")
    response = login(client, member).get(reverse("meetings:need_board"))
    assert "Ailleurs" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_board_query_count_is_fixed(
    client, series, member, operator, partners, other_member, django_assert_num_queries, count
):
    for i in range(count):
        need = need_raise(
            actor=member, series=series, operator=operator, title=f"Besoin {i}", themes=[f"T{i}", "Commun"]
        )
        need_endorse(actor=other_member, need=need, operator=partners)
    login(client, member)
    client.get(reverse("meetings:need_board"))
    cache.clear()
    # One more than before individual participants: the series a person takes part in their own name.
    with django_assert_num_queries(17):  # rendered
        client.get(reverse("meetings:need_board"))
    with django_assert_num_queries(8):  # the board from the cache: neither needs nor filters read
        client.get(reverse("meetings:need_board"))


def test_needs_changed_since(series, need, member, coordinator, partners, other_member, other_coordinator, s1):
    since = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    with time_machine.travel(since + datetime.timedelta(days=1), tick=False):
        need_endorse(actor=other_member, need=need, operator=partners)
    changed = needs_changed_since(user=member, since=since)
    assert changed == [need]
    assert [(c.from_stage, c.to_stage) for c in changed[0].recent_changes] == [("emerging", "converging")]
    assert needs_changed_since(user=other_coordinator, since=since) == []
    assert needs_changed_since(user=member, since=since + datetime.timedelta(days=2)) == []


def test_session_page_shows_mentioned_needs(client, need, member, coordinator, s1, series, operator):
    s2 = session_on(series, datetime.date(2020, 9, 17))
    need_mention(actor=coordinator, need=need, session=s2, note="Relancé")
    action_record(actor=coordinator, session=s2, description="Contacter l'hôpital", owner_operator=operator, need=need)
    body = login(client, member).get(reverse("meetings:session_detail", args=[s2.public_id])).content.decode()
    assert "Lits de crise pour adolescents" in body and "Relancé" in body and "Contacter l&#x27;hôpital" in body


def test_close_with_a_too_long_reason_says_why(client, need, coordinator):
    login(client, coordinator)
    response = client.post(
        reverse("meetings:need_close", args=[need.public_id]), {"stage": "closed", "reason": "x" * 5000}, follow=True
    )
    assert "300 caractères" in response.content.decode()
    need.refresh_from_db()
    assert need.stage == NeedStage.EMERGING


def test_board_caps_long_columns_with_a_link_to_the_stage_list(client, series, member, operator):
    from meetings.selectors.needs import BOARD_CAP

    for i in range(BOARD_CAP + 3):
        need_raise(actor=member, series=series, operator=operator, title=f"Besoin {i:02d}")
    login(client, member)
    response = client.get(reverse("meetings:need_board"), {"series": str(series.public_id)})
    emerging = {c.stage: c for c in response.context["board"].columns}["emerging"]
    assert emerging.count == BOARD_CAP + 3 and emerging.shown == BOARD_CAP and emerging.more == 3
    body = response.content.decode()
    assert f"?series={series.public_id}&amp;stage=emerging" in body and "et 3 besoins de plus" in body
    listing = client.get(reverse("meetings:need_board"), {"series": str(series.public_id), "stage": "emerging"})
    assert listing.templates[0].name == "meetings/need_list.html"
    assert listing.context["page"].paginator.count == BOARD_CAP + 3
    listing_body = listing.content.decode()
    assert 'name="stage" value="emerging"' in listing_body  # the filters keep the stage
    assert "Besoin 00" in listing_body and "Besoin 12" in listing_body


def test_board_shows_only_recently_ended_needs_and_links_to_all(client, series, member, operator, coordinator):
    with time_machine.travel(datetime.datetime(2020, 1, 10, 12, tzinfo=datetime.UTC), tick=False):
        old = need_raise(actor=member, series=series, operator=operator, title="Clos il y a longtemps")
        need_close(actor=coordinator, need=old, stage="dropped")
    now = datetime.datetime(2020, 9, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(now, tick=False):
        recent = need_raise(actor=member, series=series, operator=operator, title="Clos récemment")
        need_close(actor=coordinator, need=recent, stage="closed")
        login(client, member)
        response = client.get(reverse("meetings:need_board"))
        closed = response.context["board"].closed
        assert closed.count == 2 and closed.recent == 1
        assert [n.title for g in closed.groups for n in g.needs] == ["Clos récemment"]
        body = response.content.decode()
        assert "Clos il y a longtemps" not in body and "?stage=ended" in body
        listing = client.get(reverse("meetings:need_board"), {"stage": "ended"})
        assert [n.title for n in listing.context["page"]] == ["Clos récemment", "Clos il y a longtemps"]


def test_board_ignores_an_unknown_stage(client, member):
    response = login(client, member).get(reverse("meetings:need_board"), {"stage": "<script>", "page": "x"})
    assert response.status_code == 200 and response.templates[0].name == "meetings/need_board.html"


@pytest.mark.parametrize("count", [1, 30])
def test_stage_list_query_count_is_fixed(
    client, series, member, operator, partners, other_member, django_assert_num_queries, count
):
    for i in range(count):
        need = need_raise(actor=member, series=series, operator=operator, title=f"Besoin {i}", themes=[f"T{i}"])
        need_endorse(actor=other_member, need=need, operator=partners)
    login(client, member)
    url = reverse("meetings:need_board")
    client.get(url, {"stage": "converging"})
    # One more than before individual participants: the series a person takes part in their own name.
    with django_assert_num_queries(14):
        response = client.get(url, {"stage": "converging"})
    assert len(response.context["page"].object_list) == min(count, 25)


def test_a_close_refused_after_the_fact_gives_the_reason_back(client, need, coordinator):
    login(client, coordinator)
    need_close(actor=coordinator, need=need, stage="dropped", reason="")
    response = client.post(
        reverse("meetings:need_close", args=[need.public_id]), {"stage": "closed", "reason": "Repris par le réseau."}
    )
    assert response.status_code == 409
    body = response.content.decode()
    summary = body.index("data-error-summary")
    assert "Rien n'a été enregistré." in body[summary:] and "Ce besoin est déjà clôturé." in body[summary:]
    assert ">Repris par le réseau.</textarea>" in body[summary:]
    need.refresh_from_db()
    assert need.stage == NeedStage.DROPPED


def test_a_us_too_refused_because_the_need_was_closed_meanwhile_gives_the_comment_back(
    client, need, partners, other_member, coordinator
):
    login(client, other_member)
    need_close(actor=coordinator, need=need, stage="closed", reason="")
    response = client.post(
        reverse("meetings:need_endorse", args=[need.public_id]),
        {"operator": partners.pk, "comment": "Même difficulté chez nous la nuit."},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Ce besoin a été clôturé entre-temps" in body[body.index("data-error-summary") :]
    assert ">Même difficulté chez nous la nuit.</textarea>" in body
    assert not need.endorsements.exists()
