"""The indicators of a pilot, computed from what Carrefour recorded.

`series_indicators` returns plain data (numbers, strings, ISO dates), so the
same dict serves the page, the charts, the exports and the snapshot frozen
when an evaluation is finalised. It runs a fixed number of queries whatever
the number of sessions and operators.

Definitions (the report's annex repeats them):
- the period is the series' pilot period (all its sessions when it has none);
- an operator is expected at a session held on a date its participation
  covers (since ≤ date ≤ until);
- attendance rate: sessions where the operator was present (its own row, or
  one of its people) over the held sessions it was expected at;
- info-round completion: entries submitted over held sessions expected;
  punctuality: entries submitted in time over entries submitted; a session
  on a day the operator declared itself absent never counts against it: it
  is left out unless the operator submitted in time anyway;
- time to convergence: days from a need's emergence (its creation) to its
  first move to "converging";
- actions overdue: still open after their due date (at `today`); time to
  close: days from creation to closing, for actions done;
- consultations and thematic concertations (only those): contributions per
  session, the share of items answered and retained, the median days from
  a contribution to its answer (consultations.selectors);
- capacity: the capacity signals of the submitted info rounds of the
  sessions not cancelled: weeks saturated per operator (and its longest run
  of consecutive saturated sessions), the network's share of saturated
  signals per session and over the period.
"""

import datetime
import statistics
from collections import Counter, defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from clinical.selectors import series_clinical_counts
from consultations.selectors import consultation_indicators
from core import formats
from meetings.models import (
    Action,
    Attendance,
    CooperationNeed,
    Decision,
    InfoRoundEntry,
    NeedStageChange,
    Participation,
    Series,
    Session,
)
from meetings.models.capacity import CapacityStatus
from meetings.models.needs import NeedStage
from meetings.selectors.absences import absence_book
from meetings.selectors.capacity import capacity_signals

# The stages a need climbs through, in order (closed and dropped are exits).
FUNNEL = [NeedStage.EMERGING, NeedStage.STABILISED, NeedStage.CONVERGING, NeedStage.TAKEN_UP]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(values) -> float | None:
    values = list(values)
    return round(statistics.median(values), 1) if values else None


def _days(start: datetime.datetime, end: datetime.datetime) -> float:
    return (end - start).total_seconds() / 86400


def _sessions(series: Series) -> list[tuple]:
    qs = Session.objects.filter(series=series)
    if series.pilot_start:
        qs = qs.filter(starts_at__date__gte=series.pilot_start - datetime.timedelta(days=1))
    if series.pilot_end:
        qs = qs.filter(starts_at__date__lte=series.pilot_end + datetime.timedelta(days=1))
    rows = []
    for pk, starts_at, status in qs.order_by("starts_at").values_list("pk", "starts_at", "status"):
        day = timezone.localdate(starts_at)
        if (series.pilot_start and day < series.pilot_start) or (series.pilot_end and day > series.pilot_end):
            continue
        rows.append((pk, day, status))
    return rows


def _participations(series: Series) -> list[tuple]:
    return list(
        Participation.objects.filter(series=series)
        .order_by("operator__name", "since")
        .values_list("operator_id", "operator__name", "operator__short_name", "since", "until", "via_request_id")
    )


def _expected(participations, day: datetime.date) -> set[int]:
    return {op for op, _n, _s, since, until, _r in participations if since <= day and (until is None or until >= day)}


def _attendance(held, participations, operators) -> dict:
    session_ids = [pk for pk, _day, _status in held]
    present = set()
    excused = set()
    for session_id, operator_id, user_id, status in Attendance.objects.filter(session_id__in=session_ids).values_list(
        "session_id", "operator_id", "user_id", "status"
    ):
        if status == Attendance.Status.PRESENT:
            present.add((session_id, operator_id))
        elif status == Attendance.Status.EXCUSED and user_id is None:
            excused.add((session_id, operator_id))
    per_operator = defaultdict(Counter)
    weeks: dict[str, dict] = {}
    for pk, day, _status in held:
        iso = day.isocalendar()
        week = weeks.setdefault(f"{iso.year}-W{iso.week:02d}", {"date": day.isoformat(), "present": 0, "expected": 0})
        for operator_id in _expected(participations, day):
            counts = per_operator[operator_id]
            counts["expected"] += 1
            week["expected"] += 1
            if (pk, operator_id) in present:
                counts["present"] += 1
                week["present"] += 1
            elif (pk, operator_id) in excused:
                counts["excused"] += 1
            else:
                counts["absent"] += 1
    rows = [
        {
            "operator": name,
            "expected": per_operator[op]["expected"],
            "present": per_operator[op]["present"],
            "excused": per_operator[op]["excused"],
            "absent": per_operator[op]["absent"],
            "rate": _rate(per_operator[op]["present"], per_operator[op]["expected"]),
        }
        for op, name in operators
    ]
    total_present = sum(r["present"] for r in rows)
    total_expected = sum(r["expected"] for r in rows)
    return {
        "overall": _rate(total_present, total_expected),
        "per_operator": rows,
        "weeks": [
            {
                "week": week,
                "date": counts["date"],
                "present": counts["present"],
                "expected": counts["expected"],
                "rate": _rate(counts["present"], counts["expected"]),
            }
            for week, counts in weeks.items()
        ],
    }


def _info_round(held, participations, operators) -> dict:
    submitted = {}
    for session_id, operator_id, is_late in InfoRoundEntry.objects.filter(
        session_id__in=[pk for pk, _d, _s in held], status=InfoRoundEntry.Status.SUBMITTED
    ).values_list("session_id", "operator_id", "is_late"):
        submitted[(session_id, operator_id)] = is_late
    absences = absence_book(
        min((d for _pk, d, _s in held), default=datetime.date.min),
        max((d for _pk, d, _s in held), default=datetime.date.min),
        operator_ids=[op for op, _name in operators],
    )
    per_operator = defaultdict(Counter)
    for pk, day, _status in held:
        for operator_id in _expected(participations, day):
            on_time = submitted.get((pk, operator_id)) is False
            if absences.operator_away(operator_id, day) and not on_time:
                continue
            counts = per_operator[operator_id]
            counts["expected"] += 1
            if (pk, operator_id) in submitted:
                counts["submitted"] += 1
                counts["late" if submitted[(pk, operator_id)] else "on_time"] += 1
    rows = []
    for op, name in operators:
        counts = per_operator[op]
        rows.append(
            {
                "operator": name,
                "expected": counts["expected"],
                "submitted": counts["submitted"],
                "on_time": counts["on_time"],
                "late": counts["late"],
                "completion": _rate(counts["submitted"], counts["expected"]),
                "punctuality": _rate(counts["on_time"], counts["submitted"]),
            }
        )
    expected = sum(r["expected"] for r in rows)
    done = sum(r["submitted"] for r in rows)
    return {
        "completion": _rate(done, expected),
        "punctuality": _rate(sum(r["on_time"] for r in rows), done),
        "per_operator": rows,
    }


def _capacity(sessions, operators) -> dict:
    """Weeks saturated per operator and the network's share of saturated signals (one query)."""
    given = [s for s in sessions if s[2] != Session.Status.CANCELLED]
    day_of = {pk: day for pk, day, _status in given}
    levels: dict[int, dict[int, str]] = defaultdict(dict)
    for session_id, operator_id, level, _waiting, _places in capacity_signals(list(day_of)):
        levels[session_id][operator_id] = level
    per_operator = []
    for op, name in operators:
        run = longest = weeks = signals = 0
        for pk, _day, _status in given:
            level = levels[pk].get(op)
            signals += level is not None
            run = run + 1 if level == CapacityStatus.SATURATED else 0
            weeks += level == CapacityStatus.SATURATED
            longest = max(longest, run)
        per_operator.append({"operator": name, "signals": signals, "weeks_saturated": weeks, "longest_run": longest})
    weeks = [
        {
            "date": day_of[pk].isoformat(),
            "saturated": sum(1 for level in levels[pk].values() if level == CapacityStatus.SATURATED),
            "signals": len(levels[pk]),
        }
        for pk, _day, _status in given
        if levels[pk]
    ]
    for week in weeks:
        week["share"] = _rate(week["saturated"], week["signals"])
    return {
        "share": _rate(sum(w["saturated"] for w in weeks), sum(w["signals"] for w in weeks)),
        "per_operator": per_operator,
        "weeks": weeks,
    }


def _needs(series: Series) -> dict:
    needs = list(CooperationNeed.objects.filter(series=series).values_list("pk", "stage", "created_at"))
    reached = defaultdict(set)
    converged_at = {}
    for need_id, from_stage, to_stage, at in (
        NeedStageChange.objects.filter(need__series=series)
        .order_by("at", "pk")
        .values_list("need_id", "from_stage", "to_stage", "at")
    ):
        reached[need_id] |= {from_stage, to_stage}
        if to_stage == NeedStage.CONVERGING:
            converged_at.setdefault(need_id, at)
    themes = Counter(
        CooperationNeed.themes.through.objects.filter(cooperationneed__series=series).values_list(
            "theme__name", flat=True
        )
    )
    themed = set(
        CooperationNeed.themes.through.objects.filter(cooperationneed__series=series).values_list(
            "cooperationneed_id", flat=True
        )
    )
    by_stage = Counter(stage for _pk, stage, _at in needs)
    funnel = Counter()
    for pk, stage, _at in needs:
        ranks = [FUNNEL.index(s) for s in reached[pk] | {stage} if s in FUNNEL]
        for rank in range(max(ranks) + 1 if ranks else 0):
            funnel[FUNNEL[rank].value] += 1
    created = {pk: at for pk, _stage, at in needs}
    durations = [_days(created[pk], at) for pk, at in converged_at.items() if pk in created]
    by_theme = [{"theme": name, "count": count} for name, count in sorted(themes.items(), key=lambda t: (-t[1], t[0]))]
    if len(needs) > len(themed):
        by_theme.append({"theme": "", "count": len(needs) - len(themed)})
    return {
        "total": len(needs),
        "by_stage": [{"stage": stage.value, "count": by_stage[stage.value]} for stage in NeedStage],
        "funnel": [{"stage": stage.value, "count": funnel[stage.value]} for stage in FUNNEL],
        "by_theme": by_theme,
        "converged": len(durations),
        "median_days_to_convergence": _median(durations),
    }


def _actions(session_ids, today: datetime.date) -> dict:
    rows = list(
        Action.objects.filter(session_id__in=session_ids).values_list("status", "due_date", "created_at", "closed_at")
    )
    done = [(created, closed) for status, _due, created, closed in rows if status == Action.Status.DONE]
    return {
        "opened": len(rows),
        "done": len(done),
        "dropped": sum(1 for r in rows if r[0] == Action.Status.DROPPED),
        "open": sum(1 for r in rows if r[0] == Action.Status.OPEN),
        "overdue": sum(1 for status, due, _c, _cl in rows if status == Action.Status.OPEN and due and due < today),
        "median_days_to_close": _median(_days(created, closed) for created, closed in done),
    }


def series_indicators(series: Series, *, today: datetime.date | None = None) -> dict:
    """Every indicator of the series' pilot period (12 queries, whatever the data size; one
    more for a clinical concertation: its situations counted, never their texts)."""
    today = today or timezone.localdate()
    sessions = _sessions(series)
    held = [s for s in sessions if s[2] == Session.Status.HELD]
    participations = _participations(series)
    operators = list({op: (short or name) for op, name, short, *_rest in participations}.items())
    session_ids = [pk for pk, _day, _status in sessions]
    status_counts = Counter(status for _pk, _day, status in sessions)
    indicators = {
        "period": {
            "start": series.pilot_start.isoformat() if series.pilot_start else "",
            "end": series.pilot_end.isoformat() if series.pilot_end else "",
            "today": today.isoformat(),
        },
        "sessions": {
            "total": len(sessions),
            "planned": status_counts[Session.Status.PLANNED],
            "held": status_counts[Session.Status.HELD],
            "cancelled": status_counts[Session.Status.CANCELLED],
        },
        "operators": len(operators),
        "attendance": _attendance(held, participations, operators),
        "info_round": _info_round(held, participations, operators),
        "capacity": _capacity(sessions, operators),
        "needs": _needs(series),
        "decisions": Decision.objects.filter(session_id__in=session_ids).count(),
        "actions": _actions(session_ids, today),
        "joined_by_request": sorted(
            {short or name for _op, name, short, _s, _u, request in participations if request is not None}
        ),
    }
    # One more query for the series that collect contributions, or that present situations.
    if series.kind in (Series.Kind.CONSULTATION, Series.Kind.THEMATIC):
        indicators["consultation"] = consultation_indicators(series)
    if series.kind == Series.Kind.CLINICAL:
        indicators["clinical"] = series_clinical_counts(series)
    return indicators


def key_figures(indicators: dict) -> list[tuple[str, str]]:
    """The headline numbers, as (label, value) for the page and the exports,
    written in the active language ("14,5 jours", "75 %")."""
    sessions = indicators["sessions"]
    actions = indicators["actions"]
    needs = indicators["needs"]
    return _consultation_figures(indicators.get("consultation")) + [
        (_("Sessions held"), formats.number(sessions["held"])),
        (_("Sessions cancelled"), formats.number(sessions["cancelled"])),
        (_("Sessions still planned"), formats.number(sessions["planned"])),
        (_("Operators taking part"), formats.number(indicators["operators"])),
        (_("Attendance rate"), formats.percent(indicators["attendance"]["overall"])),
        (_("Info rounds submitted"), formats.percent(indicators["info_round"]["completion"])),
        (_("Info rounds submitted in time"), formats.percent(indicators["info_round"]["punctuality"])),
        # A snapshot frozen before the capacity signals existed has no "capacity".
        (_("Saturated capacity signals"), formats.percent(indicators.get("capacity", {}).get("share"))),
        (_("Cooperation needs raised"), formats.number(needs["total"])),
        (_("Needs that converged"), formats.number(needs["converged"])),
        (_("Median time from emergence to convergence"), formats.days(needs["median_days_to_convergence"])),
        (_("Decisions taken"), formats.number(indicators["decisions"])),
        (_("Actions opened"), formats.number(actions["opened"])),
        (_("Actions done"), formats.number(actions["done"])),
        (_("Actions dropped"), formats.number(actions["dropped"])),
        (_("Actions overdue"), formats.number(actions["overdue"])),
        (_("Median time to close an action"), formats.days(actions["median_days_to_close"])),
        (_("Operators who joined on request"), ", ".join(indicators["joined_by_request"]) or formats.MISSING),
        *_clinical_figures(indicators),
    ]


def _clinical_figures(indicators: dict) -> list[tuple[str, str]]:
    """A clinical concertation's counts: meetings held, situations presented, follow-ups given."""
    clinical = indicators.get("clinical")
    if not clinical:
        return []
    return [
        (_("Clinical meetings held"), formats.number(indicators["sessions"]["held"])),
        (_("Situations presented"), formats.number(clinical["situations_presented"])),
        (_("Follow-ups given on situations"), formats.number(clinical["feedback_given"])),
    ]


def _consultation_figures(consultation: dict | None) -> list[tuple[str, str]]:
    if not consultation:
        return []
    return [
        (_("Contributions collected"), formats.number(consultation["contributions"])),
        (_("Contributions per session"), formats.number(consultation["per_session"])),
        (_("Items answered"), formats.percent(consultation["answered"])),
        (_("Items retained"), formats.percent(consultation["retained"])),
        (_("Median time to answer an item"), formats.days(consultation["median_days_to_answer"])),
    ]
