"""Structured answers of the info round (capacity signal, choice, number) and
the capacity board: operators × sessions, streaks, trends, the network's share
of "saturated", at a fixed number of queries."""

import datetime as dt
import html

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.charts import indicator_charts
from evaluations.indicators import series_indicators
from meetings.models import (
    AgendaTemplate,
    AnswerType,
    InfoRoundAnswer,
    InfoRoundEntry,
    InfoRoundQuestion,
    Participation,
    Session,
)
from meetings.selectors.capacity import capacity_board
from meetings.selectors.inforound import info_round_compiled
from meetings.services import agenda as agenda_services
from notifications.digest import digest_context
from operators.models import Operator

from ..conftest import login
from ..factories import OperatorFactory, SessionFactory
from ..factories.agenda import OPEN, START, entry_save, session_with_agenda


def add_question(session, answer_type, **fields) -> InfoRoundQuestion:
    return InfoRoundQuestion.objects.create(
        template=session.agenda_template, position=99, prompt=f"Q {answer_type}", answer_type=answer_type, **fields
    )


@pytest.fixture
def signal(ir_session):
    return add_question(ir_session, AnswerType.CAPACITY, asks_waiting_days=True, asks_places=True)


# --- Answers ------------------------------------------------------------------------


def test_a_capacity_signal_is_saved_with_the_figures_asked(ir_session, signal, operator, member):
    entry_save(ir_session, operator, member, {signal.pk: {"capacity": "saturated", "waiting_days": 21, "places": 0}})
    answer = InfoRoundAnswer.objects.get(question=signal)
    assert (answer.capacity, answer.waiting_days, answer.places) == ("saturated", 21, 0)


def test_figures_not_asked_are_not_kept(ir_session, operator, member):
    plain = add_question(ir_session, AnswerType.CAPACITY)
    entry_save(ir_session, operator, member, {plain.pk: {"capacity": "strained", "waiting_days": 9, "places": 3}})
    answer = InfoRoundAnswer.objects.get(question=plain)
    assert (answer.capacity, answer.waiting_days, answer.places) == ("strained", None, None)


@pytest.mark.parametrize(
    "value",
    [
        {"capacity": "on fire"},
        {"capacity": "saturated", "waiting_days": -1},
        {"capacity": "saturated", "places": 10**6},
    ],
)
def test_a_capacity_signal_out_of_its_levels_or_bounds_is_refused(ir_session, signal, operator, member, value):
    with pytest.raises(ValidationError) as exc:
        entry_save(ir_session, operator, member, {signal.pk: value})
    assert f"q_{signal.pk}" in exc.value.message_dict
    assert not InfoRoundEntry.objects.exists()


def test_choice_and_number_answers(ir_session, operator, member):
    choice = add_question(ir_session, AnswerType.CHOICE, options="Oui\nNon\nPeut-être")
    number = add_question(ir_session, AnswerType.NUMBER)
    entry_save(ir_session, operator, member, {choice.pk: "Peut-être", number.pk: 12})
    assert InfoRoundAnswer.objects.get(question=choice).text == "Peut-être"
    assert InfoRoundAnswer.objects.get(question=number).number == 12
    with pytest.raises(ValidationError):
        entry_save(ir_session, operator, member, {choice.pk: "Jamais"}, version=1)


def test_a_required_signal_is_needed_to_submit(ir_session, operator, member):
    required = add_question(ir_session, AnswerType.CAPACITY, required=True)
    with pytest.raises(ValidationError) as exc:
        entry_save(ir_session, operator, member, {required.pk: {"capacity": ""}}, submit=True)
    assert f"q_{required.pk}" in exc.value.message_dict


def test_the_entry_page_asks_the_signal_in_words_and_saves_it(client, ir_session, signal, operator, member):
    url = reverse("meetings:inforound_entry", args=[ir_session.public_id, operator.slug])
    with time_machine.travel(OPEN, tick=False):
        page = html.unescape(login(client, member).get(url).content.decode())
        assert "Disponible" in page and "Sous tension" in page and "Saturé" in page
        assert "Délai d’attente (jours)" in page and "Places disponibles" in page
        response = client.post(
            url, {"version": 0, "action": "draft", f"q_{signal.pk}": "strained", f"q_{signal.pk}_waiting": "abc"}
        )
        assert response.status_code == 200 and f"q_{signal.pk}_waiting" in response.context["form"].errors
        client.post(
            url,
            {"version": 0, "action": "submit", f"q_{signal.pk}": "strained", f"q_{signal.pk}_waiting": "14"},
        )
    answer = InfoRoundAnswer.objects.get(question=signal)
    assert (answer.capacity, answer.waiting_days, answer.places) == ("strained", 14, None)


def test_template_versions_carry_the_structured_questions(series, coordinator):
    template = agenda_services.agenda_template_ensure(series=series)
    draft = agenda_services.agenda_template_prepare(actor=coordinator, series=series)
    agenda_services.template_question_add(
        actor=coordinator,
        template=draft,
        prompt="Météo",
        answer_type=AnswerType.CAPACITY,
        asks_waiting_days=True,
        options="ignored",
    )
    agenda_services.template_question_add(
        actor=coordinator, template=draft, prompt="Public", answer_type=AnswerType.CHOICE, options="Enfants\n\nAdultes"
    )
    with pytest.raises(ValidationError):
        agenda_services.template_question_add(
            actor=coordinator, template=draft, prompt="Seul", answer_type=AnswerType.CHOICE, options="Un"
        )
    agenda_services.agenda_template_publish(actor=coordinator, template=draft, change_note="Météo")
    next_draft = agenda_services.agenda_template_prepare(actor=coordinator, series=series)
    copied = {q.prompt: q for q in next_draft.questions.all()}
    assert (copied["Météo"].answer_type, copied["Météo"].asks_waiting_days, copied["Météo"].options) == (
        "capacity",
        True,
        "",
    )
    assert copied["Public"].option_list == ["Enfants", "Adultes"]
    assert template.version == 1 and AgendaTemplate.objects.filter(series=series).count() == 3


# --- The compiled round and the board ----------------------------------------------------


def test_the_compiled_round_shows_the_statuses_at_its_top(client, ir_session, signal, operator, member, coordinator):
    entry_save(ir_session, operator, member, {signal.pk: {"capacity": "saturated", "waiting_days": 30}}, submit=True)
    [compiled] = info_round_compiled(session=ir_session)
    assert compiled.signal.capacity == "saturated"
    assert dict(compiled.answers)[signal] == "Saturé · délai d’attente : 30 jours"
    page = html.unescape(
        login(client, coordinator)
        .get(reverse("meetings:inforound_compiled", args=[ir_session.public_id]))
        .content.decode()
    )
    top = page.split("Capacité cette semaine")[1].split("</section>")[0]
    assert "Canopée" in top and "Saturé" in top


def weekly_sessions(series, weeks):
    sessions = []
    for week in range(weeks):
        session = session_with_agenda(series, starts_at=START + dt.timedelta(weeks=week))
        sessions.append(session)
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(status=Session.Status.HELD)
    return sessions


def give(session, question, operator, level, **figures):
    entry = InfoRoundEntry.objects.create(
        session=session, operator=operator, status="submitted", submitted_at=session.starts_at
    )
    InfoRoundAnswer.objects.create(entry=entry, question=question, capacity=level, **figures)


def test_the_board_shows_streaks_trends_and_the_network_share(series, operator):
    other = OperatorFactory(name="Polaris")
    Participation.objects.create(series=series, operator=other, since=dt.date(2020, 9, 1))
    sessions = weekly_sessions(series, 4)
    question = sessions[0].agenda_template.questions.create(position=9, prompt="Météo", answer_type="capacity")
    for session, level in zip(sessions, ["available", "saturated", "saturated", "saturated"], strict=True):
        give(session, question, operator, level, waiting_days=20)
    for session, level in zip(sessions, ["saturated", "strained", "available"], strict=False):
        give(session, question, other, level)
    board = capacity_board(series=series, now=START + dt.timedelta(weeks=4))
    rows = {row.operator.name: row for row in board.rows}
    assert (rows["Canopée"].saturated_streak, rows["Canopée"].trend, rows["Canopée"].alert) == (3, "same", True)
    assert (rows["Polaris"].saturated_streak, rows["Polaris"].trend) == (0, "better")
    assert rows["Polaris"].cells[3] is None
    assert [(s.saturated, s.signals) for s in board.shares] == [(1, 2), (1, 2), (1, 2), (1, 1)]
    assert [row.operator.name for row in board.alerts] == ["Canopée"]
    assert board.chart_bars()[3]["height"] == 120.0


def test_the_board_page_reads_without_colour(client, series, operator, coordinator):
    sessions = weekly_sessions(series, 3)
    question = sessions[0].agenda_template.questions.create(position=9, prompt="Météo", answer_type="capacity")
    for session in sessions:
        give(session, question, operator, "saturated", waiting_days=12, places=0)
    with time_machine.travel(START + dt.timedelta(weeks=3), tick=False):
        response = login(client, coordinator).get(reverse("meetings:series_capacity", args=[series.public_id]))
    page = html.unescape(response.content.decode())
    assert "saturé depuis 3 semaines d’affilée" in page
    assert page.count("■ </span>Saturé") == 3  # the icon and the word in each cell
    assert "12 jours · 0 place" in page
    assert "<svg" in page and "<title>" in page and "Chiffres du graphique" in page


def bulk_board(series, territory, sessions_count, operators_count):
    """A series with `sessions_count` weekly sessions and `operators_count` operators, each with a signal each week."""
    template = agenda_services.agenda_template_ensure(series=series)
    question = template.questions.create(position=9, prompt="Météo", answer_type="capacity")
    operators = Operator.objects.bulk_create(
        Operator(name=f"Opérateur {n:03d}", short_name=f"Op{n:03d}", slug=f"op-{n:03d}", territory=territory)
        for n in range(operators_count)
    )
    Participation.objects.bulk_create(
        Participation(series=series, operator=op, since=dt.date(2020, 1, 1)) for op in operators
    )
    sessions = Session.objects.bulk_create(
        Session(
            series=series,
            starts_at=START - dt.timedelta(weeks=n),
            ends_at=START - dt.timedelta(weeks=n, hours=-1),
            status=Session.Status.HELD,
            agenda_template=template,
        )
        for n in range(sessions_count)
    )
    levels = ["available", "strained", "saturated"]
    entries = InfoRoundEntry.objects.bulk_create(
        InfoRoundEntry(session=s, operator=op, status="submitted", submitted_at=START)
        for s in sessions
        for op in operators
    )
    InfoRoundAnswer.objects.bulk_create(
        InfoRoundAnswer(entry=e, question=question, capacity=levels[i % 3], waiting_days=i % 40)
        for i, e in enumerate(entries)
    )


@pytest.mark.parametrize(("sessions_count", "operators_count"), [(1, 1), (200, 60)])
def test_the_board_query_count_is_fixed(
    client, series, territory, coordinator, sessions_count, operators_count, django_assert_num_queries
):
    bulk_board(series, territory, sessions_count, operators_count)
    with django_assert_num_queries(3):  # sessions, operators, signals
        board = capacity_board(series=series, now=START)
    assert len(board.sessions) == sessions_count
    assert sum(1 for row in board.rows for cell in row.cells if cell) == sessions_count * operators_count
    # session, user, savepoint pair, the series, coordinated and participating series, the board's three
    # and the counts of its chart, the sessions it covers (its cache key), and the menu's coordinators group
    with time_machine.travel(START, tick=False):
        login(client, coordinator)
        with django_assert_num_queries(12):
            response = client.get(reverse("meetings:series_capacity", args=[series.public_id]))
    board = response.context["board"]
    assert len(board.rows) == operators_count + 1  # and the fixture's Canopée
    # The page shows the latest twelve sessions; its chart the year that ends with them.
    assert len(board.sessions) == min(sessions_count, 12) and len(board.shares) == min(sessions_count, 52)
    assert sum(s.signals for s in board.shares) == min(sessions_count, 52) * operators_count
    assert board.has_earlier == (sessions_count > 12)


def test_the_board_pages_back_through_the_sessions(client, series, territory, coordinator):
    bulk_board(series, territory, 30, 2)
    url = reverse("meetings:series_capacity", args=[series.public_id])
    with time_machine.travel(START, tick=False):
        login(client, coordinator)
        latest = client.get(url).context["board"]
        before = client.get(url, {"earlier": "1"}).context["board"]
        first = client.get(url, {"earlier": "2"}).context["board"]
        beyond = client.get(url, {"earlier": "99999"}).context["board"]
        hostile = client.get(url, {"earlier": "-1<script>"})
        page = client.get(url).content.decode()
    assert latest.sessions[-1].starts_at > before.sessions[-1].starts_at > first.sessions[-1].starts_at
    assert len(latest.sessions) == len(before.sessions) == 12 and len(first.sessions) == 6
    assert latest.sessions[0].starts_at > before.sessions[-1].starts_at  # no session twice
    assert not first.has_earlier and beyond.earlier == 2 and beyond.sessions == first.sessions
    assert hostile.status_code == 200 and hostile.context["board"].sessions == latest.sessions
    assert "Séances plus anciennes" in page and "Séances plus récentes" not in page


def test_sessions_of_another_series_and_drafts_are_not_on_the_board(series, operator, member):
    [session] = weekly_sessions(series, 1)
    question = session.agenda_template.questions.create(position=9, prompt="Météo", answer_type="capacity")
    entry = InfoRoundEntry.objects.create(session=session, operator=operator, status="draft")
    InfoRoundAnswer.objects.create(entry=entry, question=question, capacity="saturated")
    elsewhere = SessionFactory(starts_at=START)
    other = InfoRoundEntry.objects.create(session=elsewhere, operator=operator, status="submitted", submitted_at=START)
    InfoRoundAnswer.objects.create(entry=other, question=question, capacity="saturated")
    board = capacity_board(series=series, now=START)
    assert board.rows[0].cells == [None]


# --- The digest ------------------------------------------------------------------------------


def test_the_digest_carries_one_line_per_series_with_counts_only(series, operator, member, territory):
    other = OperatorFactory(name="Polaris", territory=territory)
    Participation.objects.create(series=series, operator=other, since=dt.date(2020, 9, 1))
    sessions = weekly_sessions(series, 2)
    question = sessions[0].agenda_template.questions.create(position=9, prompt="Météo", answer_type="capacity")
    give(sessions[0], question, operator, "saturated")
    give(sessions[0], question, other, "available")
    give(sessions[1], question, operator, "saturated")
    give(sessions[1], question, other, "saturated")
    InfoRoundAnswer.objects.filter(question=question).update(text="Texte libre confidentiel")
    context = digest_context(user=member, now=sessions[1].starts_at + dt.timedelta(days=2))
    [line] = context["sections"]["meetings"]["capacity"]
    assert (line.series, line.saturated, line.previous, line.delta) == (series, 2, 1, 1)
    rendered = render_to_string("emails/notify/_digest_meetings.txt", {"d": context["sections"]["meetings"]})
    assert "2 opérateurs saturés cette semaine, 1 de plus que la semaine dernière" in rendered
    assert "Texte libre" not in rendered
    # Nothing given in the week: no line.
    later = digest_context(user=member, now=sessions[1].starts_at + dt.timedelta(days=12))
    assert later is None or not later["sections"]["meetings"]["capacity"]


# --- The evaluation's indicators -------------------------------------------------------------


def test_the_indicators_count_weeks_saturated_and_the_network_share(series, operator, territory):
    other = OperatorFactory(name="Polaris", short_name="Polaris", territory=territory)
    Participation.objects.create(series=series, operator=other, since=dt.date(2020, 9, 1))
    series.pilot_start, series.pilot_end = None, None
    series.save()
    sessions = weekly_sessions(series, 4)
    question = sessions[0].agenda_template.questions.create(position=9, prompt="Météo", answer_type="capacity")
    for session, level in zip(sessions, ["saturated", "saturated", "available", "saturated"], strict=True):
        give(session, question, operator, level)
    give(sessions[0], question, other, "strained")
    capacity = series_indicators(series, today=dt.date(2030, 4, 30))["capacity"]
    rows = {r["operator"]: r for r in capacity["per_operator"]}
    assert (rows["Canopée"]["weeks_saturated"], rows["Canopée"]["longest_run"], rows["Canopée"]["signals"]) == (3, 2, 4)
    assert rows["Polaris"]["weeks_saturated"] == 0
    assert [(w["saturated"], w["signals"]) for w in capacity["weeks"]] == [(1, 2), (1, 1), (0, 1), (1, 1)]
    assert capacity["share"] == 0.6
    charts = {c.name: c for c in indicator_charts(series_indicators(series, today=dt.date(2030, 4, 30)))}
    assert "Canopée le plus, 3 semaines (au plus 2 d’affilée)" in charts["capacity_operators"].alt
    assert charts["capacity_share"].rows[0][1:] == [1, 2, "50\u00a0%"]


def test_the_board_comes_from_the_cache_until_a_signal_or_the_time_changes_it(client, series, coordinator, operator):
    sessions = weekly_sessions(series, 4)  # START and the three weeks after
    question = sessions[0].agenda_template.questions.create(position=9, prompt="Météo", answer_type="capacity")
    url = reverse("meetings:series_capacity", args=[series.public_id])

    def columns(page):
        return page.count('<th scope="col" class="text-nowrap">')

    with time_machine.travel(START, tick=False):
        first = login(client, coordinator).get(url).content.decode()
        with CaptureQueriesContext(connection) as warm:
            again = client.get(url).content.decode()
        board = 'id="alerts-heading"'
        # The sessions of the next two weeks, not the fourth.
        assert again.split(board)[1] == first.split(board)[1] and columns(first) == 3
        assert not [q for q in warm.captured_queries if "meetings_inforoundanswer" in q["sql"]]
        assert "■ </span>Saturé" not in first
        entry = InfoRoundEntry.objects.create(
            session=sessions[0], operator=operator, status="submitted", submitted_at=START
        )
        InfoRoundAnswer.objects.create(entry=entry, question=question, capacity="saturated")
        assert "■ </span>Saturé" in client.get(url).content.decode()
    with time_machine.travel(START + dt.timedelta(weeks=1), tick=False):
        assert columns(client.get(url).content.decode()) == 4  # time brought the fourth session in
