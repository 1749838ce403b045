"""Filters of the needs and actions pages: stage badges and reasons, the
options of a register's filter. They only format data a selector read."""

from django import template

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


@register.filter
def select_options(field) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of a bound select field's choices, read once:
    the registers' filters list every operator, and the widget templates cost
    one template per option (and the for tag a COUNT query on a model iterator)."""
    current = field.value()
    current = "" if current is None else str(current)
    return [(str(value), str(label), str(value) == current) for value, label in field.field.choices]
