"""Helpers of the live-session and minutes tests: agendas, sessions under way
and held sessions with their minutes."""

import datetime

from django.utils import timezone

from meetings.models import AgendaItem, AgendaItemKind, Session

from . import SessionFactory

ITEMS = [
    ("Ouverture", AgendaItemKind.OPENING, 5),
    ("Tour de table", AgendaItemKind.INFO_ROUND, 30),
    ("Suivi des actions", AgendaItemKind.ACTIONS, 10),
    ("Besoins de coopération", AgendaItemKind.NEEDS, 10),
    ("Clôture", AgendaItemKind.CLOSING, 5),
]


def agenda(session: Session, count: int = 3) -> list[AgendaItem]:
    """`count` agenda items for a session that has none (the ritual's order first)."""
    items = []
    for position in range(count):
        title, kind, timebox = ITEMS[position] if position < len(ITEMS) else (f"Point {position + 1}", "other", 10)
        items.append(
            AgendaItem.objects.create(session=session, position=position + 1, title=title, kind=kind, timebox=timebox)
        )
    return items


def session_under_way(series, *, minutes_ago: int = 10, items: int = 3) -> Session:
    """A planned session of `series` that started `minutes_ago` minutes ago, with an agenda."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=minutes_ago)
    session = SessionFactory(series=series, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    agenda(session, items)
    return session


def held_session(series, coordinator, *, items: int = 3, notes: str = "Notes du point."):
    """A session that took place an hour ago, with notes on each item, ended by `coordinator`: (session, minutes)."""
    from meetings.services.minutes import session_end

    session = session_under_way(series, minutes_ago=70, items=items)
    session.agenda_items.update(notes=notes)
    minutes = session_end(actor=coordinator, session=session)
    session.refresh_from_db()
    return session, minutes


def published_session(series, coordinator, **kwargs):
    """A held session whose minutes are published: (session, minutes)."""
    from meetings.services.minutes import minutes_transition

    session, minutes = held_session(series, coordinator, **kwargs)
    minutes = minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=minutes.version)
    minutes = minutes_transition(actor=coordinator, minutes=minutes, to="published", version=minutes.version)
    return session, minutes


def provisional_session(series, coordinator, *, next_in_minutes: int = 7 * 24 * 60, **kwargs):
    """In a series whose minutes are approved at the next session: a held session
    whose minutes are published as provisional, and the next session (starting
    `next_in_minutes` from now, with an agenda) that approves them: (session, minutes, next session)."""
    from meetings.services.minutes import minutes_transition

    # An update, not a save: other builders may have changed the series' row since `series` was read.
    type(series).objects.filter(pk=series.pk).update(minutes_approved_at_next_session=True)
    series.minutes_approved_at_next_session = True
    session, minutes = held_session(series, coordinator, **kwargs)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=next_in_minutes)
    # An extra session: regenerating the recurrence (a poll closed, say) leaves it be.
    following = SessionFactory(
        series=series, starts_at=start, ends_at=start + datetime.timedelta(hours=1), is_extra=True
    )
    agenda(following, 3)
    minutes = minutes_transition(actor=coordinator, minutes=minutes, to="published", version=minutes.version)
    return session, minutes, following
