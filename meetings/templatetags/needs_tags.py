"""Template tags of the needs area: the follow-up of a session, the ritual
summary of a series, stage badges. They read through selectors only."""

from django import template

from meetings.selectors_actions import open_actions_for_session, series_action_counts, session_records
from meetings.selectors_needs import BOARD_STAGES, FINAL_STAGES, series_need_counts, session_mentions
from meetings.services.actions import action_can_close, session_local_date
from meetings.services.needs import stage_reason_label

register = template.Library()

STAGE_BADGES = {
    "emerging": "text-bg-secondary",
    "stabilised": "text-bg-info",
    "converging": "text-bg-primary",
    "taken_up": "text-bg-success",
    "closed": "text-bg-dark",
    "dropped": "text-bg-light border",
}


@register.filter
def stage_badge(stage: str) -> str:
    """The Bootstrap classes of a stage's badge."""
    return STAGE_BADGES.get(stage, "text-bg-secondary")


@register.filter
def stage_reason(reason: str) -> str:
    return stage_reason_label(reason)


@register.simple_tag(takes_context=True)
def session_followup(context, session) -> dict:
    """What the session page shows under "follow-up": the actions carried
    from earlier sessions, the decisions and actions recorded in this one,
    and the needs it mentioned."""
    user = context["request"].user
    carried = open_actions_for_session(session=session)
    records = session_records(session=session)
    day = session_local_date(session)
    for action in [*carried, *records["actions"]]:
        action.series = session.series  # spares a query per row in action_can_close
        action.can_close = action.status == "open" and action_can_close(user, action)
        action.overdue = action.status == "open" and action.due_date is not None and action.due_date < day
    return {"carried": carried, "mentions": session_mentions(session=session), **records}


@register.simple_tag
def series_ritual(series) -> dict:
    """Needs by stage and open/overdue actions of a series (two queries)."""
    counts = series_need_counts(series=series)
    stages = [(stage, stage.label, counts[stage]) for stage in BOARD_STAGES]
    closed = sum(counts[stage] for stage in FINAL_STAGES)
    return {"stages": stages, "closed": closed, "actions": series_action_counts(series=series)}
