"""The tables every export carries (one sheet each in XLSX, one file each in
the CSV zip, the annex of the PDF and DOCX). Plain data: lists of strings and
numbers, with translated titles and headers. A fixed number of queries."""

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meetings.models import Action, Attendance, CooperationNeed, NeedStageChange, Participation, Session
from meetings.models.needs import NeedStage

from ..indicators import _sessions
from ..models import Answer, Evaluation, Question, Response

BRUSSELS = ZoneInfo(settings.TIME_ZONE)


def _day(moment) -> str:
    return moment.astimezone(BRUSSELS).date().isoformat() if moment else ""


def _table(name: str, title: str, headers: list, rows: list) -> dict:
    return {"name": name, "title": title, "headers": [str(h) for h in headers], "rows": rows}


def _names(participations) -> dict[int, str]:
    return {op: short or name for op, name, short in participations}


def sessions_tables(series) -> list[dict]:
    """The sessions of the period with who attended, and attendance per operator and session."""
    in_period = {pk for pk, _day, _status in _sessions(series)}
    sessions = list(
        Session.objects.filter(pk__in=in_period)
        .select_related("host_operator")
        .annotate(n_decisions=Count("decisions", distinct=True), n_actions=Count("actions", distinct=True))
        .order_by("starts_at")
    )
    names = _names(
        Participation.objects.filter(series=series).values_list("operator_id", "operator__name", "operator__short_name")
    )
    marks = defaultdict(dict)
    for session_id, operator_id, status in Attendance.objects.filter(
        session_id__in=in_period, user__isnull=True
    ).values_list("session_id", "operator_id", "status"):
        marks[session_id][operator_id] = status
    status_label = dict(Session.Status.choices)
    attendance_label = dict(Attendance.Status.choices)
    session_rows, attendance_rows = [], []
    for s in sessions:
        local = s.starts_at.astimezone(BRUSSELS)
        by_status = defaultdict(list)
        for operator_id, status in sorted(marks[s.pk].items(), key=lambda m: names.get(m[0], "")):
            by_status[status].append(names.get(operator_id, "?"))
            attendance_rows.append(
                [local.date().isoformat(), names.get(operator_id, "?"), str(attendance_label.get(status, status))]
            )
        session_rows.append(
            [
                local.date().isoformat(),
                local.strftime("%H:%M"),
                str(status_label[s.status]),
                str(s.host_operator or ""),
                ", ".join(by_status[Attendance.Status.PRESENT]),
                ", ".join(by_status[Attendance.Status.EXCUSED]),
                ", ".join(by_status[Attendance.Status.ABSENT]),
                s.n_decisions,
                s.n_actions,
            ]
        )
    return [
        _table(
            "sessions",
            _("Sessions"),
            [
                _("Date"),
                _("Time"),
                _("Status"),
                _("Host"),
                _("Present"),
                _("Excused"),
                _("Absent"),
                _("Decisions"),
                _("Actions"),
            ],
            session_rows,
        ),
        _table("attendance", _("Attendance"), [_("Date"), _("Operator"), _("Attendance")], attendance_rows),
    ]


def info_round_table(indicators: dict) -> dict:
    rows = [
        [r["operator"], r["expected"], r["submitted"], r["on_time"], r["late"], r["completion"], r["punctuality"]]
        for r in indicators["info_round"]["per_operator"]
    ]
    headers = [
        _("Operator"),
        _("Sessions expected"),
        _("Submitted"),
        _("In time"),
        _("Late"),
        _("Completion"),
        _("Punctuality"),
    ]
    return _table("info_round", _("Info-round completion"), headers, rows)


def capacity_table(indicators: dict) -> dict:
    """Weeks saturated per operator (absent from a snapshot frozen before the capacity signals)."""
    rows = [
        [r["operator"], r["signals"], r["weeks_saturated"], r["longest_run"]]
        for r in indicators.get("capacity", {}).get("per_operator", [])
    ]
    headers = [_("Operator"), _("Signals given"), _("Weeks saturated"), _("Longest run")]
    return _table("capacity", _("Capacity signals"), headers, rows)


def capacity_weeks_table(indicators: dict) -> dict:
    rows = [
        [w["date"], w["saturated"], w["signals"], w["share"]] for w in indicators.get("capacity", {}).get("weeks", [])
    ]
    headers = [_("Session"), _("Saturated"), _("Signals given"), _("Share")]
    return _table("capacity_share", _("Share of saturated operators"), headers, rows)


def needs_table(series) -> dict:
    converging = dict(
        NeedStageChange.objects.filter(need__series=series, to_stage=NeedStage.CONVERGING)
        .order_by("-at")
        .values_list("need_id", "at")
    )
    stage_label = dict(NeedStage.choices)
    rows = [
        [
            need.title,
            str(need.raised_by),
            str(stage_label[need.stage]),
            ", ".join(t.name for t in need.themes.all()),
            _day(need.created_at),
            _day(converging.get(need.pk)),
            _day(need.stage_changed_at),
        ]
        for need in CooperationNeed.objects.filter(series=series)
        .select_related("raised_by")
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    ]
    headers = [_("Need"), _("Raised by"), _("Stage"), _("Themes"), _("Emerged"), _("Converging"), _("Stage since")]
    return _table("needs", _("Cooperation needs"), headers, rows)


def actions_table(series) -> dict:
    in_period = [pk for pk, _day, _status in _sessions(series)]
    status_label = dict(Action.Status.choices)
    rows = [
        [
            action.description,
            str(action.owner_operator),
            _day(action.created_at),
            action.due_date.isoformat() if action.due_date else "",
            str(status_label[action.status]),
            _day(action.closed_at),
        ]
        for action in Action.objects.filter(session_id__in=in_period)
        .select_related("owner_operator")
        .order_by("created_at", "pk")
    ]
    headers = [_("Action"), _("Owner"), _("Opened"), _("Due date"), _("Status"), _("Closed")]
    return _table("actions", _("Actions"), headers, rows)


def answer_text(question: Question, answer: Answer) -> str:
    """An answer as one line of text: "4 – Beaucoup", "Oui; Parfois", the free text."""
    options = question.options or []
    if question.kind == Question.Kind.SCALE and answer.scale:
        label = options[answer.scale - 1] if answer.scale <= len(options) else ""
        return f"{answer.scale} – {label}" if label else str(answer.scale)
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return "; ".join(options[i] for i in answer.selected if 0 <= i < len(options))
    return answer.text


def answers_table(evaluation: Evaluation | None) -> dict:
    headers = [_("Operator"), _("Question"), pgettext("noun", "Answer")]
    if evaluation is None:
        return _table("answers", _("Questionnaire answers"), headers, [])
    rows = [
        [
            str(answer.response.operator),
            answer.question.prompt,
            answer_text(answer.question, answer),
        ]
        for answer in Answer.objects.filter(response__evaluation=evaluation, response__status=Response.Status.SUBMITTED)
        .select_related("response__operator", "question")
        .order_by("response__operator__name", "question__position", "question__pk")
    ]
    return _table("answers", _("Questionnaire answers"), headers, rows)


def series_tables(series, evaluation: Evaluation | None, indicators: dict) -> list[dict]:
    return [
        *sessions_tables(series),
        info_round_table(indicators),
        capacity_table(indicators),
        capacity_weeks_table(indicators),
        needs_table(series),
        actions_table(series),
        answers_table(evaluation),
    ]
