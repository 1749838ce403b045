"""Reads of the live session and of the minutes: who takes part, what was
recorded, the snapshot kept in each minutes version and the comparison of two
versions. Every function runs a fixed number of queries whatever the number
of items, operators, people, decisions or actions.
"""

import datetime
import difflib
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from operators.models import Operator, OperatorMembership

from .models import (
    Action,
    AgendaItem,
    Attendance,
    CooperationNeed,
    Decision,
    Minutes,
    MinutesRevision,
    NeedStage,
    NeedStageChange,
    Session,
)
from .selectors import session_get_for_user
from .selectors_agenda import info_round_compiled, session_operators


def operator_members(operator_ids) -> list[OperatorMembership]:
    """The memberships (with their person) of the given operators, by operator then name."""
    return list(
        OperatorMembership.objects.filter(operator_id__in=list(operator_ids), user__is_active=True)
        .select_related("user")
        .order_by("operator_id", "user__name", "user__email")
    )


def agenda_items(session: Session) -> list[AgendaItem]:
    return list(session.agenda_items.select_related("notes_updated_by").order_by("position", "pk"))


@dataclass
class PersonRow:
    user: object
    status: str = ""


@dataclass
class OperatorRow:
    operator: Operator
    status: str = ""
    people: list[PersonRow] = field(default_factory=list)


def attendance_grid(session: Session, operators: list[Operator] | None = None) -> list[OperatorRow]:
    """One row per participating operator with its recorded status, and under
    it one row per member of that operator (three queries)."""
    operators = session_operators(session) if operators is None else operators
    by_operator = {op.pk: OperatorRow(operator=op) for op in operators}
    for membership in operator_members(by_operator):
        by_operator[membership.operator_id].people.append(PersonRow(user=membership.user))
    for attendance in Attendance.objects.filter(session=session, operator_id__in=list(by_operator)):
        row = by_operator[attendance.operator_id]
        if attendance.user_id is None:
            row.status = attendance.status
            continue
        for person in row.people:
            if person.user.pk == attendance.user_id:
                person.status = attendance.status
    return list(by_operator.values())


def session_decisions(session: Session) -> list[Decision]:
    return list(session.decisions.select_related("agenda_item").order_by("created_at", "pk"))


def session_actions(session: Session) -> list[Action]:
    return list(
        session.actions.select_related("owner_operator", "owner_user", "agenda_item").order_by("created_at", "pk")
    )


def session_needs(session: Session) -> list[CooperationNeed]:
    """The needs raised in this session or mentioned in it."""
    return list(
        CooperationNeed.objects.filter(Q(source_session=session) | Q(mentions__session=session))
        .distinct()
        .select_related("raised_by")
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    )


def session_need_changes(session: Session) -> list[NeedStageChange]:
    """The moves of a need from one stage to another recorded in this session
    (a need's first stage, when it is raised, is not a move)."""
    return list(
        NeedStageChange.objects.filter(session=session)
        .exclude(from_stage="")
        .select_related("need")
        .order_by("at", "pk")
    )


def session_can_end(session: Session, now: datetime.datetime | None = None) -> bool:
    """A planned session can be ended once it has started (its start time is
    past, or the coordinators started an item of its agenda)."""
    now = now or timezone.now()
    return session.status == Session.Status.PLANNED and (
        session.starts_at <= now or session.current_item_id is not None
    )


# The snapshot kept in each minutes version ---------------------------------------------------------


def minutes_content(session: Session, summary: str = "") -> dict:
    """What the minutes say now, as kept in a MinutesRevision: the summary, the
    notes of each item, attendance, decisions, actions, the cooperation needs
    raised or mentioned and their changes of stage, of this session only
    (identifiers and display text; no personal data beyond the names of those
    taking part)."""
    items = list(session.agenda_items.order_by("position", "pk").values("pk", "title", "notes"))
    needs = (
        CooperationNeed.objects.filter(Q(source_session=session) | Q(mentions__session=session))
        .distinct()
        .select_related("raised_by")
        .order_by("created_at", "pk")
    )
    operators = session_operators(session)
    grid = attendance_grid(session, operators)
    return {
        "summary": summary,
        "items": [{"id": item["pk"], "title": item["title"], "notes": item["notes"]} for item in items],
        "attendance": [
            {
                "operator_id": row.operator.pk,
                "operator": row.operator.name,
                "status": row.status,
                "people": [
                    {"user_id": p.user.pk, "name": p.user.name or p.user.email, "status": p.status}
                    for p in row.people
                    if p.status
                ],
            }
            for row in grid
        ],
        "decisions": [
            {"id": str(d.public_id), "text": d.text, "item_id": d.agenda_item_id} for d in session_decisions(session)
        ],
        "actions": [
            {
                "id": str(a.public_id),
                "description": a.description,
                "owner_operator": a.owner_operator.name,
                "owner": (a.owner_user.name or a.owner_user.email) if a.owner_user_id else "",
                "due_date": a.due_date.isoformat() if a.due_date else "",
                "status": a.status,
                "item_id": a.agenda_item_id,
            }
            for a in session_actions(session)
        ],
        "needs": [
            {
                "id": str(n.public_id),
                "title": n.title,
                "raised_by": n.raised_by.name,
                "raised_here": n.source_session_id == session.pk,
            }
            for n in needs
        ],
        "need_changes": [
            {"id": str(c.need.public_id), "title": c.need.title, "from": c.from_stage, "to": c.to_stage}
            for c in session_need_changes(session)
        ],
    }


def content_for_display(content: dict) -> dict:
    """The snapshot with what templates need: dates as dates, status labels,
    decisions and actions grouped under their item."""
    statuses = dict(Attendance.Status.choices)
    action_statuses = dict(Action.Status.choices)
    actions = []
    for action in content.get("actions", []):
        due = action.get("due_date") or ""
        actions.append(
            action
            | {
                "due": datetime.date.fromisoformat(due) if due else None,
                "status_label": action_statuses.get(action.get("status"), ""),
            }
        )
    attendance = [
        row
        | {
            "status_label": statuses.get(row.get("status"), ""),
            "people": [p | {"status_label": statuses.get(p.get("status"), "")} for p in row.get("people", [])],
        }
        for row in content.get("attendance", [])
    ]
    stages = dict(NeedStage.choices)
    needs = content.get("needs", [])
    return {
        "summary": content.get("summary", ""),
        "items": content.get("items", []),
        "attendance": attendance,
        "decisions": content.get("decisions", []),
        "actions": actions,
        "needs_raised": [n for n in needs if n.get("raised_here")],
        "needs_mentioned": [n for n in needs if not n.get("raised_here")],
        "need_changes": [
            change | {"from_label": stages.get(change.get("from"), ""), "to_label": stages.get(change.get("to"), "")}
            for change in content.get("need_changes", [])
        ],
    }


# Minutes for a person ------------------------------------------------------------------------------


def minutes_of(session: Session) -> Minutes | None:
    return Minutes.objects.select_related("approved_by", "published_by", "updated_by").filter(session=session).first()


def minutes_session_for_user(user, public_id) -> tuple[Session, Minutes | None, bool]:
    """The session, its minutes and whether the person coordinates the series.

    404 for a series the person is not part of; participants who do not
    coordinate see published minutes only (404 otherwise: they do not exist
    for them yet).
    """
    session = session_get_for_user(user, public_id)
    can_change = user.has_perm("meetings.change_series", session.series)
    minutes = minutes_of(session)
    if not can_change and (minutes is None or minutes.status != Minutes.Status.PUBLISHED):
        raise Http404
    return session, minutes, can_change


def minutes_revisions(minutes: Minutes) -> list[MinutesRevision]:
    return list(minutes.revisions.select_related("author").order_by("-number"))


def minutes_latest_revision(minutes: Minutes) -> MinutesRevision | None:
    return minutes.revisions.order_by("-number").first()


# Comparing two versions ----------------------------------------------------------------------------


@dataclass
class DiffLine:
    kind: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class DiffSection:
    title: str
    lines: list[DiffLine]

    @property
    def changed(self) -> bool:
        return any(line.kind != "equal" for line in self.lines)


def _diff_lines(old: str, new: str) -> list[DiffLine]:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine("equal", text) for text in old_lines[i1:i2])
            continue
        lines.extend(DiffLine("delete", text) for text in old_lines[i1:i2])
        lines.extend(DiffLine("insert", text) for text in new_lines[j1:j2])
    return lines


def _attendance_text(content: dict) -> str:
    statuses = dict(Attendance.Status.choices)
    lines = []
    for row in content.get("attendance", []):
        lines.append(f"{row.get('operator', '')}: {statuses.get(row.get('status'), '—')}")
        lines.extend(f"  {p.get('name', '')}: {statuses.get(p.get('status'), '—')}" for p in row.get("people", []))
    return "\n".join(lines)


def _actions_text(content: dict) -> str:
    lines = []
    for action in content.get("actions", []):
        owner = action.get("owner_operator", "")
        if action.get("owner"):
            owner += f" ({action['owner']})"
        due = f" — {action['due_date']}" if action.get("due_date") else ""
        lines.append(f"{action.get('description', '')} — {owner}{due}")
    return "\n".join(lines)


def revisions_compare(old: MinutesRevision, new: MinutesRevision, labels: dict[str, str]) -> list[DiffSection]:
    """Line by line differences between two versions, section by section:
    the summary, each agenda item's notes (matched by item), attendance,
    decisions and actions. `labels` names the fixed sections."""
    a, b = old.content or {}, new.content or {}
    sections = [DiffSection(labels["summary"], _diff_lines(a.get("summary", ""), b.get("summary", "")))]
    old_items = {item["id"]: item for item in a.get("items", [])}
    new_items = {item["id"]: item for item in b.get("items", [])}
    order = [item["id"] for item in b.get("items", [])] + [i for i in old_items if i not in new_items]
    for item_id in order:
        before, after = old_items.get(item_id, {}), new_items.get(item_id, {})
        title = after.get("title") or before.get("title", "")
        sections.append(DiffSection(title, _diff_lines(before.get("notes", ""), after.get("notes", ""))))
    sections.append(DiffSection(labels["attendance"], _diff_lines(_attendance_text(a), _attendance_text(b))))
    decisions_a = "\n".join(d.get("text", "") for d in a.get("decisions", []))
    decisions_b = "\n".join(d.get("text", "") for d in b.get("decisions", []))
    sections.append(DiffSection(labels["decisions"], _diff_lines(decisions_a, decisions_b)))
    sections.append(DiffSection(labels["actions"], _diff_lines(_actions_text(a), _actions_text(b))))
    return sections


# The live page -----------------------------------------------------------------------------------

LIVE_PARTS = ("agenda", "notes", "attendance", "decisions", "actions", "needs", "inforound")


def live_page(session: Session, parts=LIVE_PARTS) -> dict:
    """What the live page (or one of its parts) shows, in a fixed number of queries."""
    context = {"session": session, "series": session.series, "now": timezone.now()}
    operators = session_operators(session)
    members = operator_members([op.pk for op in operators])
    context |= {"operators": operators, "members": members}
    if {"agenda", "notes"} & set(parts):
        items = agenda_items(session)
        context |= {
            "items": items,
            "current": next((i for i in items if i.pk == session.current_item_id), None),
            "can_end": session_can_end(session, context["now"]),
        }
    if "attendance" in parts:
        context["grid"] = attendance_grid(session, operators)
    if "decisions" in parts:
        context["decisions"] = session_decisions(session)
    if "actions" in parts:
        context["actions"] = session_actions(session)
    if "needs" in parts:
        context["needs"] = session_needs(session)
    if "inforound" in parts:
        context["compiled"] = info_round_compiled(session=session)
    return context
