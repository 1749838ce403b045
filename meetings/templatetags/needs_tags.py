"""Template tags of the needs area: the follow-up of a session, the ritual
summary of a series, stage badges. They read through selectors only."""

from django import template
from django.utils import timezone

from accounts.selectors import user_operator_roles
from meetings.selectors_actions import open_actions_for_session, series_action_counts, session_records
from meetings.selectors_needs import BOARD_STAGES, FINAL_STAGES, series_need_counts, session_mentions
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
    from earlier sessions (the first FOLLOWUP_CAP, with their total), the
    decisions and actions recorded in this one, and the needs it mentioned.
    Who may close is worked out once for the page (the series' coordinators
    close every action, the others those of their operators or their own),
    as action_can_close does, rather than once per action."""
    user = context["request"].user
    carried, carried_total = open_actions_for_session(session=session)
    records = session_records(session=session)
    day = timezone.localdate(session.starts_at)
    closes_all = user.is_authenticated and user.has_perm("meetings.change_series", session.series)
    own_operators = set(user_operator_roles(user)) if user.is_authenticated else set()
    for action in [*carried, *records["actions"]]:
        may_close = closes_all or action.owner_operator_id in own_operators or action.owner_user_id == user.pk
        action.can_close = action.status == "open" and may_close
        action.overdue = action.status == "open" and action.due_date is not None and action.due_date < day
    return {
        "carried": carried,
        "carried_total": carried_total,
        "carried_more": carried_total - len(carried),
        "mentions": session_mentions(session=session),
        **records,
    }


@register.simple_tag
def series_ritual(series) -> dict:
    """Needs by stage and open/overdue actions of a series (two queries)."""
    counts = series_need_counts(series=series)
    stages = [(stage, stage.label, counts[stage]) for stage in BOARD_STAGES]
    closed = sum(counts[stage] for stage in FINAL_STAGES)
    return {"stages": stages, "closed": closed, "actions": series_action_counts(series=series)}


@register.filter
def select_options(field) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of a bound select field's choices, read once:
    the registers' filters list every operator, and the widget templates cost
    one template per option (and the for tag a COUNT query on a model iterator)."""
    current = field.value()
    current = "" if current is None else str(current)
    return [(str(value), str(label), str(value) == current) for value, label in field.field.choices]
