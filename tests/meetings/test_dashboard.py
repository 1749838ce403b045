"""The home page's dashboards: the operator member's and the coordinator's."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.brussels import BRUSSELS
from meetings.models import (
    Action,
    AgendaItem,
    CooperationNeed,
    InfoRoundEntry,
    Minutes,
    NeedEndorsement,
    NeedStageChange,
    Participation,
    Session,
)
from meetings.selectors.dashboard import ACTIONS_SHOWN, RoundStatus, dashboard_for_user

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory, SeriesFactory, SessionFactory

# A Tuesday at 13:30 in Brussels, a week after "now" in these tests.
NOW = dt.datetime(2026, 3, 3, 9, 0, tzinfo=BRUSSELS)
NEXT = dt.datetime(2026, 3, 10, 13, 30, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def next_session(series, starts_at=NEXT, **kwargs) -> Session:
    return SessionFactory(series=series, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=1), **kwargs)


def agenda(session, *timeboxes):
    for position, minutes in enumerate(timeboxes, 1):
        AgendaItem.objects.create(session=session, position=position, title=f"Point {position}", timebox=minutes)


def entry(session, operator, *, submitted=False, late=False, user=None) -> InfoRoundEntry:
    return InfoRoundEntry.objects.create(
        session=session,
        operator=operator,
        status="submitted" if submitted else "draft",
        submitted_at=timezone.now() if submitted else None,
        is_late=late,
        updated_by=user,
    )


def action(session, operator, *, due=None, status="open", text="Envoyer la liste des permanences") -> Action:
    return Action.objects.create(
        series=session.series,
        session=session,
        description=text,
        owner_operator=operator,
        due_date=due,
        status=status,
        closed_at=None if status == "open" else timezone.now(),
    )


def need(series, operator, *, stage="emerging", title="Relais le week-end", changed=None) -> CooperationNeed:
    return CooperationNeed.objects.create(
        series=series, raised_by=operator, title=title, stage=stage, stage_changed_at=changed or timezone.now()
    )


def minutes(session, status="draft") -> Minutes:
    return Minutes.objects.create(
        session=session, status=status, published_at=timezone.now() if status == "published" else None
    )


def past_session(series, weeks_ago=1) -> Session:
    start = NEXT - dt.timedelta(weeks=weeks_ago + 1)
    return next_session(series, starts_at=start, status="held")


# The member's dashboard ---------------------------------------------------------------------------


def test_member_sees_the_next_session_of_each_series_with_its_agenda(member, series, operator):
    past_session(series)
    session = next_session(series)
    next_session(series, starts_at=NEXT + dt.timedelta(weeks=1))
    agenda(session, 5, 30, 10)
    other = SeriesFactory(name="Concertation du jeudi")
    Participation.objects.create(series=other, operator=operator, since=dt.date(2026, 1, 1))
    board = dashboard_for_user(user=member).member
    assert [row.series for row in board.series] == [other, series]  # by name
    assert board.series[0].session is None
    row = board.series[1]
    assert row.session == session
    assert [i.title for i in row.session.agenda_items.all()] == ["Point 1", "Point 2", "Point 3"]


def test_cancelled_sessions_are_skipped_and_a_running_one_is_next(member, series):
    next_session(series, starts_at=NOW - dt.timedelta(minutes=30))  # running now
    next_session(series, starts_at=NEXT, status="cancelled")
    running = dashboard_for_user(user=member).member.series[0].session
    assert running.starts_at < timezone.now() < running.ends_at


@pytest.mark.parametrize(
    ("days_before", "saved", "expected", "can_fill"),
    [
        (5, None, RoundStatus.NOT_OPEN, False),
        (2, None, RoundStatus.TO_FILL, True),
        (2, "draft", RoundStatus.DRAFT, True),
        (2, "submitted", RoundStatus.SUBMITTED, True),
        (2, "late", RoundStatus.LATE, True),
        (0.5, None, RoundStatus.LATE, True),  # the 24-hour deadline has passed
        (-0.01, "draft", RoundStatus.MISSING, False),  # the session has started
    ],
)
def test_info_round_status_of_my_operator(member, series, operator, days_before, saved, expected, can_fill):
    session = next_session(series)
    if saved:
        entry(session, operator, submitted=saved != "draft", late=saved == "late", user=member)
    with time_machine.travel(NEXT - dt.timedelta(days=days_before), tick=False):
        (round_,) = dashboard_for_user(user=member).member.series[0].rounds
    assert (round_.operator, round_.status, round_.can_fill) == (operator, expected, can_fill)


def test_member_sees_the_open_actions_of_their_operator_only(member, series, operator, other_operator):
    session = past_session(series)
    overdue = action(session, operator, due=dt.date(2026, 2, 20), text="En retard")
    later = action(session, operator, due=dt.date(2026, 4, 1), text="Plus tard")
    undated = action(session, operator, text="Sans échéance")
    action(session, operator, status="done", text="Faite")
    action(session, other_operator, text="D'un autre opérateur")
    actions = dashboard_for_user(user=member).member.actions
    assert actions == [overdue, later, undated]
    assert [a.is_overdue for a in actions] == [True, False, None]


def test_member_sees_the_needs_we_raised_or_endorsed(member, series, operator, other_operator):
    ours = need(series, operator, title="Le nôtre", stage="stabilised", changed=NOW - dt.timedelta(days=3))
    endorsed = need(series, other_operator, title="Soutenu", stage="converging", changed=NOW - dt.timedelta(days=1))
    NeedEndorsement.objects.create(need=endorsed, operator=operator)
    NeedEndorsement.objects.create(need=ours, operator=other_operator)
    need(series, other_operator, title="Pas le nôtre")
    need(series, operator, title="Clos il y a longtemps", stage="closed", changed=NOW - dt.timedelta(days=90))
    recent = need(series, operator, title="Clos hier", stage="closed", changed=NOW - dt.timedelta(days=1, hours=1))
    needs = dashboard_for_user(user=member).member.needs
    assert needs == [endorsed, recent, ours]
    assert [(n.we_raised, n.we_endorsed, n.n_endorsements) for n in needs] == [
        (False, True, 1),
        (True, False, 0),
        (True, False, 1),
    ]


def test_member_sees_the_latest_published_minutes_of_their_series(member, series):
    published = minutes(past_session(series, 1), "published")
    minutes(past_session(series, 2), "approved")
    elsewhere = SeriesFactory()
    minutes(past_session(elsewhere), "published")
    assert dashboard_for_user(user=member).member.minutes == [published]


def test_a_person_without_operator_or_series_has_no_dashboard(outsider, other_coordinator):
    board = dashboard_for_user(user=outsider)
    assert board.member is None and board.coordinator is None


# The coordinator's dashboard ----------------------------------------------------------------------


def test_coordinator_sees_the_preparation_of_each_series(coordinator, series, operator, other_operator):
    third = OperatorFactory()
    for op in (other_operator, third):
        Participation.objects.create(series=series, operator=op, since=dt.date(2026, 1, 1))
    session = next_session(series)
    agenda(session, 5, 40, 30)  # 75 minutes in a one-hour session
    entry(session, operator, submitted=True)
    entry(session, other_operator, submitted=True, late=True)
    entry(session, third)  # a draft
    idle = SeriesFactory(name="Aucune séance")
    idle.coordinators.add(coordinator)
    board = dashboard_for_user(user=coordinator)
    assert board.member is None
    rows = board.coordinator.series
    assert [r.series for r in rows] == [idle, series]
    assert rows[0].session is None
    row = rows[1]
    assert (row.series.n_operators, row.session.n_submitted, row.session.n_late) == (3, 2, 1)
    assert (row.agenda_minutes, row.agenda_overruns) == (75, True)


def test_coordinator_sees_overdue_actions_stage_changes_and_minutes_waiting(coordinator, series, operator):
    session = past_session(series)
    overdue = action(session, operator, due=dt.date(2026, 3, 2))
    action(session, operator, due=dt.date(2026, 3, 3))  # due today: not overdue yet
    action(session, operator, due=dt.date(2026, 1, 2), status="done")
    moved = need(series, operator)
    NeedStageChange.objects.create(need=moved, from_stage="", to_stage="emerging", at=NOW - dt.timedelta(days=20))
    recent = NeedStageChange.objects.create(
        need=moved, from_stage="emerging", to_stage="stabilised", at=NOW - dt.timedelta(days=2)
    )
    draft = minutes(session)
    approved = minutes(past_session(series, 3), "approved")
    minutes(past_session(series, 2), "published")
    other = SeriesFactory()
    action(past_session(other), operator, due=dt.date(2026, 1, 1))
    minutes(past_session(other, 4))
    board = dashboard_for_user(user=coordinator).coordinator
    assert board.overdue_actions == [overdue]
    assert board.stage_changes == [recent]
    assert board.minutes_waiting == [approved, draft]


def test_a_coordinator_who_is_also_a_member_sees_both(member, series, coordinator):
    series.coordinators.add(member)
    board = dashboard_for_user(user=member)
    assert board.member is not None and board.coordinator is not None


# The page -------------------------------------------------------------------------------------------


def test_home_shows_the_member_dashboard_in_french(client, member, series, operator):
    session = next_session(series)
    agenda(session, 10)
    action(past_session(series), operator, due=dt.date(2026, 2, 1), text="Diffuser le calendrier des gardes")
    need(series, operator, title="Relais de nuit", stage="converging")
    body = login(client, member).get(reverse("core:home")).content.decode()
    assert "Pour mon opérateur" in body
    assert "mardi 10 mars 2026" in body.lower() and "13:30–14:30" in body
    assert "Point 1" in body
    assert "Pas encore ouvert" in body
    assert "Diffuser le calendrier des gardes" in body and "En retard" in body
    assert "Relais de nuit" in body and "Convergent" in body
    assert "Aucun compte rendu n'a encore été publié" in body
    assert "Pour les dispositifs que je coordonne" not in body


def test_home_shows_the_coordinator_dashboard(client, coordinator, series, operator):
    session = next_session(series)
    agenda(session, 10, 20)
    entry(session, operator, submitted=True)
    body = login(client, coordinator).get(reverse("core:home")).content.decode()
    assert "Pour les dispositifs que je coordonne" in body
    assert "1/1 reçus" in body
    assert "2 points, 30 min" in body
    assert "Aucune action n'est en retard" in body
    assert "Pour mon opérateur" not in body


def test_home_empty_states(client, outsider):
    body = login(client, outsider).get(reverse("core:home")).content.decode()
    assert "Pour mon opérateur" not in body and "je coordonne" not in body
    assert "Vous ne faites encore partie d'aucun opérateur." in body


def _many(series, operator, other_operator, coordinator, count):
    """`count` of everything the dashboards show, in `count` series."""
    for n in range(count):
        s = series if n == 0 else SeriesFactory(name=f"Série {n}")
        s.coordinators.add(coordinator)
        if n:
            Participation.objects.create(series=s, operator=operator, since=dt.date(2026, 1, 1))
        Participation.objects.create(series=s, operator=other_operator, since=dt.date(2026, 1, 1))
        session = next_session(s)
        agenda(session, 5, 10)
        entry(session, operator, submitted=True)
        past = past_session(s)
        minutes(past, "published")
        minutes(past_session(s, 2), "draft")
        action(past, operator, due=dt.date(2026, 1, 5))
        raised = need(s, operator, stage="converging")
        NeedEndorsement.objects.create(need=raised, operator=other_operator)
        NeedStageChange.objects.create(need=raised, from_stage="stabilised", to_stage="converging", at=NOW)


@pytest.mark.parametrize("count", [1, 6])
def test_home_query_count_is_fixed_for_a_member_and_coordinator(
    client, member, series, operator, other_operator, coordinator, count, django_assert_num_queries
):
    _many(series, operator, other_operator, member, count)
    login(client, member)
    # One more than before individual participants: the series a person takes part in their own name.
    # Cold: three more than before the person's part was cached (tests/meetings/test_dashboard_cache.py
    # counts the warm page): the series and the participations, read for the keys, are read again
    # for the parts after their keys; the operators taking part are counted with the coordinator's part.
    with django_assert_num_queries(28):  # 24, and the counts of the two capped action lists
        response = client.get(reverse("core:home"))
    board = response.context["dashboard"]
    assert len(board.member.series) == len(board.coordinator.series) == count
    assert len(board.member.actions) == len(board.coordinator.overdue_actions) == count
    assert len(board.member.needs) == len(board.coordinator.stage_changes) == count


def test_other_operators_see_nothing_of_ours(client, other_member, series, operator):
    session = past_session(series)
    action(session, operator, text="Action confidentielle de Canopée")
    body = login(client, other_member).get(reverse("core:home")).content.decode()
    assert "Action confidentielle" not in body
    assert dashboard_for_user(user=other_member).member is None
    MembershipFactory(operator=operator)  # unrelated people do not change it


def test_home_links_to_the_ritual_pages(client, member, coordinator, series, operator):
    session = next_session(series)
    raised = need(series, operator, title="Relais de nuit")
    published = minutes(past_session(series), "published")
    with time_machine.travel(NEXT - dt.timedelta(days=2), tick=False):
        body = login(client, member).get(reverse("core:home")).content.decode()
        assert reverse("meetings:inforound_entry", args=[session.public_id, operator.slug]) in body
        assert "Remplir le tour de table" in body
        assert reverse("meetings:need_detail", args=[raised.public_id]) in body
        assert reverse("meetings:minutes_detail", args=[published.session.public_id]) in body
        body = login(client, coordinator).get(reverse("core:home")).content.decode()
        assert reverse("meetings:inforound_board", args=[session.public_id]) in body
        assert reverse("meetings:session_agenda_edit", args=[session.public_id]) in body


def test_no_fill_button_before_the_round_opens(client, member, series, operator):
    session = next_session(series)
    body = login(client, member).get(reverse("core:home")).content.decode()
    assert reverse("meetings:inforound_entry", args=[session.public_id, operator.slug]) not in body


def test_a_member_closes_an_action_from_the_dashboard(client, member, series, operator):
    open_action = action(past_session(series), operator, due=dt.date(2026, 2, 1), text="Diffuser le calendrier")
    login(client, member)
    body = client.get(reverse("core:home")).content.decode()
    url = reverse("meetings:action_close", args=[open_action.public_id])
    assert f'action="{url}"' in body
    response = client.post(url, {"status": "done", "comment": "Diffusé à tous.", "next": reverse("core:home")})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    open_action.refresh_from_db()
    assert (open_action.status, open_action.close_comment, open_action.closed_by) == ("done", "Diffusé à tous.", member)
    assert "Diffuser le calendrier" not in client.get(reverse("core:home")).content.decode()


# The caps on the action lists ------------------------------------------------------------------------


def test_member_sees_the_most_urgent_actions_with_the_total_and_register_links(client, member, series, operator):
    session = past_session(series)
    for n in range(ACTIONS_SHOWN + 2):
        action(session, operator, due=dt.date(2026, 4, 1) + dt.timedelta(days=n), text=f"Plus tard {n}")
    late = [action(session, operator, due=dt.date(2026, 2, n), text=f"En retard {n}") for n in (3, 1)]
    action(session, operator, text="Sans échéance")
    board = dashboard_for_user(user=member).member
    assert len(board.actions) == ACTIONS_SHOWN
    assert board.actions[:2] == [late[1], late[0]]  # overdue first, the oldest first
    assert (board.actions_total, board.actions_overdue, board.operators) == (ACTIONS_SHOWN + 5, 2, [operator])
    body = login(client, member).get(reverse("core:home")).content.decode()
    assert "Les 10 plus urgentes des 15 actions ouvertes" in body and "2 d'entre elles sont en retard" in body
    register = reverse("meetings:action_register")
    assert f'href="{register}?operator={operator.slug}&amp;status=open"' in body
    assert f'href="{register}?operator={operator.slug}&amp;overdue=1"' in body
    assert body.count('name="comment"') == ACTIONS_SHOWN  # one close form per shown action
    assert "Sans échéance" not in body


def test_the_register_links_of_the_member_dashboard_filter_as_announced(client, member, series, operator):
    session = past_session(series)
    for n in range(ACTIONS_SHOWN + 1):
        action(session, operator, due=dt.date(2026, 2, 1), text=f"En retard {n}")
    action(session, operator, status="done", text="Faite")
    login(client, member)
    page = client.get(reverse("meetings:action_register"), {"operator": operator.slug, "status": "open"})
    assert page.context["page"].paginator.count == ACTIONS_SHOWN + 1
    page = client.get(reverse("meetings:action_register"), {"operator": operator.slug, "overdue": "1"})
    assert page.context["page"].paginator.count == ACTIONS_SHOWN + 1


def test_coordinator_sees_the_oldest_overdue_actions_with_the_total_and_a_link(client, coordinator, series, operator):
    session = past_session(series)
    overdue = [action(session, operator, due=dt.date(2026, 1, 1) + dt.timedelta(days=n)) for n in range(13)]
    action(session, operator, due=dt.date(2026, 3, 20))  # not overdue
    board = dashboard_for_user(user=coordinator).coordinator
    assert board.overdue_actions == overdue[:ACTIONS_SHOWN]
    assert board.overdue_total == 13
    body = login(client, coordinator).get(reverse("core:home")).content.decode()
    assert "Les 10 plus anciennes des 13 actions en retard" in body
    assert f'href="{reverse("meetings:action_register")}?overdue=1"' in body


def test_a_short_overdue_list_says_its_count_without_a_cap(client, coordinator, series, operator):
    action(past_session(series), operator, due=dt.date(2026, 2, 1))
    body = login(client, coordinator).get(reverse("core:home")).content.decode()
    assert "1 action en retard." in body and "Les 10 plus anciennes" not in body


def test_home_lists_my_operators(client, member, operator):
    body = login(client, member).get(reverse("core:home")).content.decode()
    assert operator.name in body


@pytest.mark.parametrize("count", [1, 30])
def test_home_query_count_is_fixed(client, member, series, count, django_assert_num_queries):
    SessionFactory.create_batch(count, series=series)
    login(client, member)
    # One more than before individual participants: the series a person takes part in their own name.
    # Cold: two more than before the member's part was cached (the series and the participations,
    # read for the keys and again for the part, after its key).
    with django_assert_num_queries(23):  # with the count of the member's open actions (a capped list)
        response = client.get(reverse("core:home"))
    assert len(response.context["upcoming"]) == min(count, 5)
