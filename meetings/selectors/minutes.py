"""Reads of the minutes: the snapshot kept in each version, the minutes a person may read,
and the comparison of two versions. A fixed number of queries whatever the size."""

import datetime
import difflib
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from ..models import Action, Attendance, CooperationNeed, Minutes, MinutesRevision, NeedStage, Session
from .access import session_get_for_user, session_operators
from .live import attendance_grid, session_actions, session_decisions, session_need_changes


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
