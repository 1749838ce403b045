"""Template tags of the agenda and the info round for the session and series
pages, so that those pages' views need not know about them. They only read
(through meetings.selectors_agenda)."""

from django import template
from django.utils import timezone

from .. import selectors_agenda as selectors

register = template.Library()


@register.simple_tag
def session_agenda_box(session):
    """The session's agenda with its total and the session's length (one query)."""
    return selectors.session_agenda_summary(session=session)


@register.simple_tag
def inforound_panel(session, user):
    """What the session page shows of the info round to this person: the
    window, and the entries of their operators taking part."""
    opens_at, deadline = selectors.info_round_window(session)
    now = timezone.now()
    mine = []
    operators = selectors.info_round_operators_of_user(user, session)
    if operators:
        entries = {e.operator_id: e for e in session.info_round_entries.filter(operator__in=operators)}
        mine = [(op, selectors.info_round_entry_status(entries.get(op.pk))) for op in operators]
    return {
        "opens_at": opens_at,
        "deadline": deadline,
        "is_open": opens_at <= now < session.starts_at and session.status == "planned",
        "not_open_yet": now < opens_at,
        # Started, held or cancelled: what was not filled will not be.
        "closed": now >= session.starts_at or session.status != "planned",
        "mine": mine,
    }


@register.filter
def next_planned(sessions):
    """The first planned session of an already loaded, ordered list (no query)."""
    return selectors.next_planned_session(sessions)


@register.filter
def answered(compiled):
    """The entries of a compiled round that were submitted."""
    return [c for c in compiled if c.answered]


@register.filter
def unanswered(compiled):
    """The operators of a compiled round that have not submitted."""
    return [c for c in compiled if not c.answered]
