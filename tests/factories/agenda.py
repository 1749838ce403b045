"""Builders shared by the agenda and info-round tests."""

import datetime as dt

from meetings.models import Participation
from meetings.services import agenda as agenda_services
from meetings.services.inforound import info_round_entry_save
from operators.models import MembershipRole

from . import MembershipFactory, OperatorFactory, SessionFactory

START = dt.datetime(2030, 3, 5, 12, 30, tzinfo=dt.UTC)  # Tuesday 5 March 2030, 13:30 in Brussels
OPEN = START - dt.timedelta(days=2)  # the info round opens 3 days before; late after 24 hours before
LATE = START - dt.timedelta(hours=2)  # after the deadline, before the start


def session_with_agenda(series, starts_at=START, minutes=60):
    """A session with the agenda of the series' current template (v1 when it has none)."""
    session = SessionFactory(series=series, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=minutes))
    agenda_services.agenda_apply(sessions=[session], template=agenda_services.agenda_template_ensure(series=series))
    return session


def participating_operators(series, count):
    """`count` operators taking part in `series`, each with one member: [(operator, member)]."""
    made = []
    for n in range(count):
        op = OperatorFactory(name=f"Équipe {n:02d}")
        Participation.objects.create(series=series, operator=op, since=dt.date(2020, 9, 1))
        made.append((op, MembershipFactory(operator=op, role=MembershipRole.MEMBER).user))
    return made


def entry_save(session, operator, user, answers=None, *, version=0, submit=False, nothing_new=False, now=OPEN):
    """Save `operator`'s info-round entry for `session` as `user` (by default while the round is open)."""
    return info_round_entry_save(
        actor=user,
        session=session,
        operator=operator,
        answers=answers or {},
        version=version,
        submit=submit,
        nothing_new=nothing_new,
        now=now,
    )
