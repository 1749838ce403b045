"""The indicators against a hand-built pilot whose every number is known
(tests/factories/evaluations.py)."""

import datetime

import pytest
from django.utils import translation

from evaluations.indicators import key_figures, series_indicators
from meetings.models import Attendance, Participation, Session

from ..factories import OperatorFactory
from ..factories.evaluations import at, pilot

TODAY = datetime.date(2020, 10, 1)


@pytest.fixture
def built(series, operator):
    return pilot(series, operator)


def test_sessions_of_the_period_only(built):
    got = series_indicators(built.series, today=TODAY)
    assert got["sessions"] == {"total": 5, "planned": 1, "held": 3, "cancelled": 1}
    assert got["period"] == {"start": "2020-09-01", "end": "2020-11-30", "today": "2020-10-01"}
    assert got["operators"] == 2


def test_attendance_per_operator_overall_and_week_by_week(built):
    attendance = series_indicators(built.series, today=TODAY)["attendance"]
    assert attendance["per_operator"] == [
        {"operator": "Canopée", "expected": 3, "present": 2, "excused": 1, "absent": 0, "rate": 0.6667},
        {"operator": "Pléiade", "expected": 1, "present": 1, "excused": 0, "absent": 0, "rate": 1.0},
    ]
    assert attendance["overall"] == 0.75
    assert attendance["weeks"] == [
        {"week": "2020-W36", "date": "2020-09-01", "present": 1, "expected": 1, "rate": 1.0},
        {"week": "2020-W37", "date": "2020-09-08", "present": 0, "expected": 1, "rate": 0.0},
        {"week": "2020-W38", "date": "2020-09-15", "present": 2, "expected": 2, "rate": 1.0},
    ]


def test_an_operator_without_any_record_is_absent(built):
    Attendance.objects.filter(operator=built.operator, session=built.sessions[1]).delete()
    rows = series_indicators(built.series, today=TODAY)["attendance"]["per_operator"]
    assert rows[0] == {"operator": "Canopée", "expected": 3, "present": 2, "excused": 0, "absent": 1, "rate": 0.6667}


def test_info_round_completion_and_punctuality(built):
    info = series_indicators(built.series, today=TODAY)["info_round"]
    assert info["per_operator"] == [
        {
            "operator": "Canopée",
            "expected": 3,
            "submitted": 2,
            "on_time": 1,
            "late": 1,
            "completion": 0.6667,
            "punctuality": 0.5,
        },
        {
            "operator": "Pléiade",
            "expected": 1,
            "submitted": 1,
            "on_time": 1,
            "late": 0,
            "completion": 1.0,
            "punctuality": 1.0,
        },
    ]
    assert (info["completion"], info["punctuality"]) == (0.75, 0.6667)


def test_needs_by_stage_theme_funnel_and_time_to_convergence(built):
    needs = series_indicators(built.series, today=TODAY)["needs"]
    assert needs["total"] == 3
    assert {r["stage"]: r["count"] for r in needs["by_stage"]} == {
        "emerging": 1,
        "stabilised": 0,
        "converging": 0,
        "taken_up": 1,
        "closed": 0,
        "dropped": 1,
    }
    assert needs["funnel"] == [
        {"stage": "emerging", "count": 3},
        {"stage": "stabilised", "count": 2},
        {"stage": "converging", "count": 1},
        {"stage": "taken_up", "count": 1},
    ]
    assert needs["by_theme"] == [
        {"theme": "Logement", "count": 2},
        {"theme": "Continuité des soins", "count": 1},
        {"theme": "", "count": 1},
    ]
    assert (needs["converged"], needs["median_days_to_convergence"]) == (1, 10.0)


def test_decisions_actions_and_join_requests(built):
    got = series_indicators(built.series, today=TODAY)
    assert got["decisions"] == 2
    assert got["actions"] == {
        "opened": 5,
        "done": 2,
        "dropped": 1,
        "open": 2,
        "overdue": 1,
        "median_days_to_close": 7.0,
    }
    assert got["joined_by_request"] == ["Pléiade"]


def test_an_operator_that_left_is_expected_only_while_it_took_part(built):
    gone = OperatorFactory(name="Emism", short_name="Emism", territory=built.operator.territory)
    Participation.objects.create(
        series=built.series, operator=gone, since=datetime.date(2020, 9, 1), until=datetime.date(2020, 9, 9)
    )
    rows = {r["operator"]: r for r in series_indicators(built.series, today=TODAY)["attendance"]["per_operator"]}
    assert rows["Emism"]["expected"] == 2 and rows["Emism"]["absent"] == 2


def test_key_figures_read_in_french(built):
    figures = dict(key_figures(series_indicators(built.series, today=TODAY)))
    assert len(figures) == 18
    assert figures["Taux de présence"] == "75\u00a0%"
    assert figures["Délai médian de l'émergence à la convergence"] == "10 jours"
    assert figures["Délai médian de clôture d'une action"] == "7 jours"


def test_key_figures_read_in_english(built):
    with translation.override("en"):
        figures = dict(key_figures(series_indicators(built.series, today=TODAY)))
    assert figures["Attendance rate"] == "75%"
    assert figures["Median time to close an action"] == "7 days"


def _more_sessions(series, operators, weeks):
    for week in range(weeks):
        start = at(10, 1) + datetime.timedelta(weeks=week)
        session = Session.objects.create(
            series=series, starts_at=start, ends_at=start + datetime.timedelta(hours=1), status="held"
        )
        for op in operators:
            Attendance.objects.create(session=session, operator=op, status="present")


# Sessions, participations, attendance, info-round entries and the operators'
# absences, capacity signals, needs (3), decisions, actions.
INDICATOR_QUERIES = 12


def test_a_fixed_number_of_queries_whatever_the_size(series, operator, django_assert_num_queries):
    built = pilot(series, operator)
    with django_assert_num_queries(INDICATOR_QUERIES):
        series_indicators(series, today=TODAY)
    extra = [OperatorFactory(territory=operator.territory) for _ in range(4)]
    for op in extra:
        Participation.objects.create(series=series, operator=op, since=datetime.date(2020, 9, 1))
    _more_sessions(series, [built.operator, *extra], 6)
    with django_assert_num_queries(INDICATOR_QUERIES):
        got = series_indicators(series, today=TODAY)
    assert got["sessions"]["held"] == 9 and got["operators"] == 6
