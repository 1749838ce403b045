from django import template

from ..notifications import schedule

register = template.Library()

SHOWN = 50


@register.inclusion_tag("meetings/_session_notifications.html", takes_context=True)
def session_notifications_panel(context, session):
    """What was sent about a session, and when the next messages go: for its coordinators only."""
    user = context["request"].user
    if not user.has_perm("meetings.change_series", session.series):
        return {"hidden": True}
    # One query whatever the number sent: the newest SHOWN, and whether there are older ones.
    sent = list(schedule.session_notifications(session=session)[: SHOWN + 1])
    return {"schedule": schedule.session_schedule(session=session), "sent": sent[:SHOWN], "more": len(sent) > SHOWN}
