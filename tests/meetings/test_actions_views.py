"""The decision and action registers, their exports, closing an action, the session's follow-up."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from core.models import AuditEvent
from meetings.models import Action
from meetings.services.actions import action_close, action_record, decision_record
from meetings.services.needs import need_raise

from ..conftest import login
from ..factories import SeriesFactory
from ..factories.needs import session_on, take_part

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2020, 10, 5, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def past(series):
    return session_on(series, datetime.date(2020, 9, 10))


@pytest.fixture
def following(series):
    return session_on(series, datetime.date(2020, 9, 17))


@pytest.fixture
def later(series):
    return session_on(series, datetime.date(2020, 10, 8))


def _record(coordinator, session, operator, description="Envoyer la fiche", **kwargs):
    return action_record(actor=coordinator, session=session, description=description, owner_operator=operator, **kwargs)


@pytest.fixture
def foreign_action(other_coordinator, other_operator):
    """An action in a series the personas of `series` do not see."""
    elsewhere = SeriesFactory(name="Groupe de travail")
    elsewhere.coordinators.add(other_coordinator)
    take_part(elsewhere, other_operator)
    session = session_on(elsewhere, datetime.date(2020, 9, 11))
    return _record(other_coordinator, session, other_operator, "Secret d'ailleurs")


def test_register_lists_visible_actions_with_their_session(client, member, coordinator, operator, past, foreign_action):
    action = _record(coordinator, past, operator, due_date=datetime.date(2020, 9, 30))
    response = login(client, member).get(reverse("meetings:action_register"))
    body = response.content.decode()
    assert "Envoyer la fiche" in body and "Secret d&#x27;ailleurs" not in body
    assert reverse("meetings:session_detail", args=[past.public_id]) in body
    assert "En retard" in body  # due 30 September, today is 5 October
    assert reverse("meetings:action_close", args=[action.public_id]) in body


def test_register_filters(client, coordinator, operator, other_operator, series, past):
    take_part(series, other_operator)
    _record(coordinator, past, operator, "Pour Canopée", due_date=datetime.date(2020, 10, 20))
    _record(coordinator, past, other_operator, "Pour Polaris", due_date=datetime.date(2020, 9, 20))
    done = _record(coordinator, past, operator, "Déjà fait", due_date=datetime.date(2020, 9, 15))
    action_close(actor=coordinator, action=done, status="done")
    login(client, coordinator)
    url = reverse("meetings:action_register")

    def listed(**params):
        page = client.get(url, params).context["page"]
        return sorted(a.description for a in page)

    assert listed(operator="canopee") == ["Déjà fait", "Pour Canopée"]
    assert listed(status="done") == ["Déjà fait"]
    assert listed(overdue="on") == ["Pour Polaris"]
    assert listed(series=str(series.public_id), status="open") == ["Pour Canopée", "Pour Polaris"]
    # A hostile or unknown filter is a field error, not a 500, and is ignored.
    response = client.get(url, {"series": "not-a-uuid", "operator": "<script>", "status": "x" * 1000})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"series", "operator", "status"}
    assert len(response.context["page"].object_list) == 3


def test_register_does_not_offer_other_series_as_filter(client, member, past, foreign_action):
    response = login(client, member).get(reverse("meetings:action_register"))
    assert list(response.context["form"].fields["series"].queryset) == [past.series]
    response = client.get(reverse("meetings:action_register"), {"series": str(foreign_action.series.public_id)})
    assert "series" in response.context["form"].errors


def test_admin_sees_every_series(client, admin_user, foreign_action):
    response = login(client, admin_user).get(reverse("meetings:action_register"))
    assert [a.description for a in response.context["page"]] == ["Secret d'ailleurs"]


def test_register_paginates(client, coordinator, operator, past):
    for i in range(27):
        _record(coordinator, past, operator, f"Action {i}")
    login(client, coordinator)
    response = client.get(reverse("meetings:action_register"), {"status": "open"})
    assert len(response.context["page"].object_list) == 25
    assert "page=2" in response.content.decode() and "status=open" in response.content.decode()
    assert len(client.get(reverse("meetings:action_register"), {"page": 2}).context["page"].object_list) == 2
    assert client.get(reverse("meetings:action_register"), {"page": "zzz"}).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_register_query_count_is_fixed(client, coordinator, operator, past, django_assert_num_queries, count):
    for i in range(count):
        _record(coordinator, past, operator, f"Action {i}")
        decision_record(actor=coordinator, session=past, text=f"Décision {i}")
    login(client, coordinator)
    client.get(reverse("meetings:action_register"))  # warm the session
    cache.clear()
    # 13 rendered, with the series the person takes part in as an individual participant (once per request).
    with django_assert_num_queries(13):
        client.get(reverse("meetings:action_register"))
    with django_assert_num_queries(11):
        client.get(reverse("meetings:decision_register"))
    # From the cache: neither the rows nor the filters' choices are read.
    with django_assert_num_queries(7):
        client.get(reverse("meetings:action_register"))
    with django_assert_num_queries(7):
        client.get(reverse("meetings:decision_register"))


def test_export_csv_neutralises_formulas_and_is_audited(client, coordinator, operator, past):
    _record(coordinator, past, operator, '=HYPERLINK("http://evil")', due_date=datetime.date(2020, 9, 30))
    _record(coordinator, past, operator, "Normale; avec point-virgule")
    response = login(client, coordinator).get(reverse("meetings:action_export"), {"operator": "canopee"})
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Dispositif", "Séance", "Action"]
    descriptions = sorted(r[2] for r in rows[1:])
    assert descriptions == ['\'=HYPERLINK("http://evil")', "Normale; avec point-virgule"]
    assert rows[1][1] == "2020-09-10"
    event = AuditEvent.objects.get(action="actions.export")
    assert event.actor == coordinator and event.detail == {"count": 2, "filters": {"operator": "canopee"}}


def test_decision_register_and_export(client, member, coordinator, operator, past, foreign_action):
    need = need_raise(actor=member, series=past.series, operator=operator, title="Lits de crise")
    decision_record(actor=coordinator, session=past, text="+ Une fiche commune", need=need)
    login(client, member)
    body = client.get(reverse("meetings:decision_register")).content.decode()
    assert "+ Une fiche commune" in body and "Lits de crise" in body
    assert (
        client.get(reverse("meetings:decision_register"), {"operator": "canopee"}).context["page"].paginator.count == 1
    )
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("meetings:decision_export")).content.decode().lstrip("\ufeff")),
            delimiter=";",
        )
    )
    assert rows[1] == [
        "Visioconférence des opérateurs carrefour",
        "2020-09-10",
        "'+ Une fiche commune",
        "Lits de crise",
    ]
    assert AuditEvent.objects.filter(action="decisions.export", actor=member).exists()


def test_close_form_and_next(client, member, coordinator, operator, past):
    action = _record(coordinator, past, operator)
    url = reverse("meetings:action_close", args=[action.public_id])
    login(client, member)
    response = client.get(url)
    assert "Clôturer l'action" in response.content.decode()
    response = client.post(url, {"status": "done", "comment": "C'est fait", "next": "/series/?x=1"})
    assert response.status_code == 302 and response["Location"] == "/series/?x=1"
    action.refresh_from_db()
    assert (action.status, action.close_comment, action.closed_by) == ("done", "C'est fait", member)
    # Closed already: the page says so; a second post is refused with a visible message.
    response = client.post(url, {"status": "dropped"})
    assert response.status_code == 200
    assert Action.objects.get(pk=action.pk).status == "done"


def test_close_refuses_unsafe_next_and_bad_input(client, member, coordinator, operator, past):
    action = _record(coordinator, past, operator)
    url = reverse("meetings:action_close", args=[action.public_id])
    login(client, member)
    response = client.post(url, {"status": "open", "comment": "x" * 100_000})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"status", "comment"}
    assert Action.objects.get(pk=action.pk).status == "open"
    response = client.post(url, {"status": "done", "next": "https://evil.example.org/"})
    assert response["Location"] == reverse("meetings:action_register")


def test_close_by_other_operator_is_forbidden(
    client, series, other_operator, other_member, coordinator, operator, past
):
    take_part(series, other_operator)
    action = _record(coordinator, past, operator)
    response = login(client, other_member).post(
        reverse("meetings:action_close", args=[action.public_id]), {"status": "done"}
    )
    assert response.status_code == 403
    assert Action.objects.get(pk=action.pk).status == "open"


def test_reopen_by_coordinator(client, coordinator, member, operator, past):
    action = _record(coordinator, past, operator)
    action_close(actor=member, action=action, status="dropped")
    url = reverse("meetings:action_reopen", args=[action.public_id])
    assert login(client, member).post(url).status_code == 403
    login(client, coordinator)
    assert "Rouvrir" in client.get(reverse("meetings:action_register")).content.decode()
    client.post(url)
    assert Action.objects.get(pk=action.pk).status == "open"


def test_followup_on_following_sessions_until_closed(client, member, coordinator, operator, past, following, later):
    action = _record(coordinator, past, operator, "Appeler le CPAS")
    decision_record(actor=coordinator, session=past, text="Créer une fiche")
    login(client, member)

    def page(session):
        return client.get(reverse("meetings:session_detail", args=[session.public_id])).content.decode()

    assert "Appeler le CPAS" in page(following) and "Appeler le CPAS" in page(later)
    past_page = page(past)
    assert "Enregistré lors de cette séance" in past_page and "Créer une fiche" in past_page
    with time_machine.travel(datetime.datetime(2020, 9, 30, 12, tzinfo=datetime.UTC), tick=False):
        action_close(actor=member, action=action, status="done")
    # Closed after the session of the 17th started: still in its follow-up, marked done.
    assert "Appeler le CPAS" in page(following)
    assert "Appeler le CPAS" not in page(later)


def test_series_page_counts(client, coordinator, operator, past, member):
    _record(coordinator, past, operator, due_date=datetime.date(2020, 9, 20))
    _record(coordinator, past, operator)
    need_raise(actor=member, series=past.series, operator=operator, title="x")
    body = login(client, member).get(reverse("meetings:series_detail", args=[past.series.public_id])).content.decode()
    assert "2 actions ouvertes" in body and "1 en retard" in body
    assert "Émergent : 1" in body
    assert f"{reverse('meetings:need_board')}?series={past.series.public_id}" in body


def test_followup_is_capped_with_the_total_and_a_link_to_the_register(
    client, member, coordinator, operator, past, following
):
    from meetings.selectors.actions import FOLLOWUP_CAP

    for i in range(FOLLOWUP_CAP + 2):
        _record(coordinator, past, operator, f"Suivi {i:02d}", due_date=datetime.date(2020, 10, 1 + i))
    login(client, member)
    response = client.get(reverse("meetings:session_detail", args=[following.public_id]))
    body = response.content.decode()
    assert body.count('id="followup-actions"') == 1
    assert "Suivi 00" in body and f"Suivi {FOLLOWUP_CAP - 1:02d}" in body  # soonest due first
    assert f"Suivi {FOLLOWUP_CAP:02d}" not in body
    link = f"{reverse('meetings:action_register')}?series={following.series.public_id}&amp;status=open"
    assert link in body and f"({FOLLOWUP_CAP + 2} au total)" in body
    # The member's own operator owns them: each can be closed from the follow-up.
    assert body.count(reverse("meetings:action_close", args=[Action.objects.first().public_id])) == 1


def test_followup_close_buttons_follow_who_may_close(
    client, coordinator, operator, other_operator, other_member, past, following, series
):
    take_part(series, other_operator)
    _record(coordinator, past, operator, "Pour Polaris ? non")
    theirs = _record(coordinator, past, other_operator, "Pour l'autre opérateur")
    login(client, other_member)
    body = client.get(reverse("meetings:session_detail", args=[following.public_id])).content.decode()
    closes = [a for a in Action.objects.all() if reverse("meetings:action_close", args=[a.public_id]) in body]
    assert closes == [theirs]
    login(client, coordinator)
    body = client.get(reverse("meetings:session_detail", args=[following.public_id])).content.decode()
    assert all(reverse("meetings:action_close", args=[a.public_id]) in body for a in Action.objects.all())


@pytest.mark.parametrize("count", [1, 30])
def test_register_pages_keep_the_session_order(client, coordinator, operator, past, following, count):
    for i in range(count):
        _record(coordinator, past, operator, f"Ancienne {i}")
        _record(coordinator, following, operator, f"Récente {i}")
    login(client, coordinator)
    first = [a.description for a in client.get(reverse("meetings:action_register")).context["page"]]
    assert first[0].startswith("Récente")
    if count == 30:
        second = [a.description for a in client.get(reverse("meetings:action_register"), {"page": 2}).context["page"]]
        assert len(first) == 25 and len(second) == 25 and not set(first) & set(second)
        assert second[-1].startswith("Ancienne")


def test_decision_register_filters_by_operator_without_duplicates(client, coordinator, operator, past):
    decision = decision_record(actor=coordinator, session=past, text="Deux actions")
    _record(coordinator, past, operator, "Une", decision=decision)
    _record(coordinator, past, operator, "Deux", decision=decision)
    login(client, coordinator)
    page = client.get(reverse("meetings:decision_register"), {"operator": operator.slug}).context["page"]
    assert [d.text for d in page] == ["Deux actions"]
