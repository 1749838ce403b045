"""Reads of the session run live: who takes part, what was recorded, the live page in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from operators.models import Operator, OperatorMembership

from ..models import Action, AgendaItem, Attendance, CooperationNeed, Decision, NeedStageChange, Session
from .access import session_operators
from .actions import session_followup
from .corrections import minutes_approvals
from .inforound import info_round_compiled


def active_memberships(operator_ids) -> list[OperatorMembership]:
    """The memberships of the given operators' active people (with the person),
    by operator then name: who may attend and own actions."""
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
    for membership in active_memberships(by_operator):
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


# Individual participants are registrations of the registrations app, which
# sits above meetings: read through the relations it declares on Series and
# Session (as selectors/access.py does); "registered" is its
# Registration.Status.REGISTERED. Their attendance is recorded by that app
# (registrations:live_attendance), the same three choices as the operators'.


@dataclass
class ParticipantRow:
    user: object
    organisation: str
    status: str = ""


def participant_grid(session: Session) -> list[ParticipantRow]:
    """The individual participants of `session` by name: those registered in
    their own name to its series, and those registered to it alone, with
    their recorded attendance (two queries)."""
    registrations = session.registrations.model.objects.filter(
        Q(series_id=session.series_id, session__isnull=True) | Q(session=session),
        status="registered",
        user__is_active=True,
    ).select_related("user", "operator")
    rows: dict[int, ParticipantRow] = {}
    for r in registrations.order_by("user__name", "user__email", "pk"):
        rows.setdefault(r.user_id, ParticipantRow(user=r.user, organisation=r.organisation))
    if rows:
        for user_id, status in session.participant_attendances.filter(user_id__in=list(rows)).values_list(
            "user_id", "status"
        ):
            rows[user_id].status = status
    return list(rows.values())


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


LIVE_PARTS = ("agenda", "notes", "attendance", "decisions", "actions", "needs", "inforound", "followup")


def live_page(*, user, session: Session, parts=LIVE_PARTS) -> dict:
    """What the live page (or some of its `parts`) shows to `user`, in a fixed number of queries."""
    context = {"session": session, "series": session.series, "now": timezone.now()}
    operators = session_operators(session)
    members = active_memberships([op.pk for op in operators])
    context |= {"operators": operators, "members": members}
    if {"agenda", "notes"} & set(parts):
        items = agenda_items(session)
        context |= {
            "items": items,
            "current": next((i for i in items if i.pk == session.current_item_id), None),
            "can_end": session_can_end(session, context["now"]),
            # Earlier minutes this session approves (no query when there are none).
            "approvals": minutes_approvals(items),
        }
    if "attendance" in parts:
        context["grid"] = attendance_grid(session, operators)
        context["participants"] = participant_grid(session)
    if "decisions" in parts:
        context["decisions"] = session_decisions(session)
    if "actions" in parts:
        context["actions"] = session_actions(session)
    if "needs" in parts:
        context["needs"] = session_needs(session)
    if "inforound" in parts:
        context["compiled"] = info_round_compiled(session=session)
    if "followup" in parts:
        context["followup"] = session_followup(user=user, session=session)
    return context
