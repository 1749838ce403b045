"""A hand-built pilot with known indicators, and evaluation helpers.

`pilot(series, operator)`: the `series` fixture (pilot from 1 September to
30 November 2020) with `operator` ("Canopée", since 1
September) and a second operator "Pléiade" that joined on request on 10
September. The expected indicators are spelled out in test_indicators.py.
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import timezone

from meetings.models import (
    Action,
    Attendance,
    CooperationNeed,
    Decision,
    InfoRoundEntry,
    JoinRequest,
    NeedStageChange,
    Participation,
    Session,
    Theme,
)
from operators.models import MembershipRole

from . import MembershipFactory, OperatorFactory

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(month: int, day: int, hour: int = 13, minute: int = 30) -> datetime.datetime:
    return datetime.datetime(2020, month, day, hour, minute, tzinfo=BRUSSELS)


def _session(series, month, day, status) -> Session:
    start = at(month, day)
    return Session.objects.create(
        series=series, starts_at=start, ends_at=start + datetime.timedelta(hours=1), status=status
    )


def pilot(series, operator) -> SimpleNamespace:
    other = OperatorFactory(name="Pléiade", short_name="Pléiade", slug="pleiade", territory=operator.territory)
    other_referent = MembershipFactory(
        operator=other, role=MembershipRole.REFERENT, user__name="Nadia Benali", user__email="nadia@example.org"
    ).user
    request = JoinRequest.objects.create(series=series, operator=other, status=JoinRequest.Status.ACCEPTED)
    Participation.objects.create(series=series, operator=other, since=datetime.date(2020, 9, 10), via_request=request)
    held, cancelled, planned = Session.Status.HELD, Session.Status.CANCELLED, Session.Status.PLANNED
    s0 = _session(series, 8, 25, held)  # before the period: never counted
    s1 = _session(series, 9, 1, held)
    s2 = _session(series, 9, 8, held)
    s3 = _session(series, 9, 15, held)
    _session(series, 9, 22, cancelled)
    _session(series, 9, 29, planned)

    # Attendance: Canopée present, excused, present; Pléiade (expected at s3
    # only) present through one of its people.
    for session, status in ((s0, "present"), (s1, "present"), (s2, "excused"), (s3, "present")):
        Attendance.objects.create(session=session, operator=operator, status=status)
    Attendance.objects.create(session=s3, operator=other, user=other_referent, status="present")

    # Info rounds: Canopée in time, late, draft only; Pléiade in time.
    def entry(session, op, status, late=False):
        InfoRoundEntry.objects.create(
            session=session,
            operator=op,
            status=status,
            is_late=late,
            submitted_at=session.starts_at - datetime.timedelta(days=1) if status == "submitted" else None,
        )

    entry(s1, operator, "submitted")
    entry(s2, operator, "submitted", late=True)
    entry(s3, operator, "draft")
    entry(s3, other, "submitted")

    # Needs: one climbs to taken up (10 days to converge), one stays
    # emerging, one is dropped after stabilising.
    housing = Theme.objects.create(name="Logement", slug="logement")
    continuity = Theme.objects.create(name="Continuité des soins", slug="continuite")

    def need(title, stage, changes, themes):
        n = CooperationNeed.objects.create(
            series=series, title=title, raised_by=operator, stage=stage, stage_changed_at=changes[-1][2]
        )
        CooperationNeed.objects.filter(pk=n.pk).update(created_at=changes[0][2])
        n.themes.set(themes)
        for from_stage, to_stage, moment in changes:
            NeedStageChange.objects.create(need=n, from_stage=from_stage, to_stage=to_stage, at=moment)
        return n

    need(
        "Lits de crise pour adolescents",
        "taken_up",
        [
            ("", "emerging", at(9, 1, 10, 0)),
            ("emerging", "stabilised", at(9, 8, 10, 0)),
            ("stabilised", "converging", at(9, 11, 10, 0)),
            ("converging", "taken_up", at(9, 15, 10, 0)),
        ],
        [housing],
    )
    need("Relais vers le logement", "emerging", [("", "emerging", at(9, 8, 10, 0))], [housing, continuity])
    need(
        "Permanence téléphonique",
        "dropped",
        [
            ("", "emerging", at(9, 1, 11, 0)),
            ("emerging", "stabilised", at(9, 8, 11, 0)),
            ("stabilised", "dropped", at(9, 15, 11, 0)),
        ],
        [],
    )

    # Decisions: two in the period, one before it.
    for session in (s0, s1, s1):
        Decision.objects.create(series=series, session=session, text="Décision")

    # Actions: done in 4 and 10 days, one overdue at 1 October, one dropped,
    # one open not yet due.
    def action(session, status, due=None, created=None, closed=None):
        a = Action.objects.create(
            series=series,
            session=session,
            description=f"Action {status}",
            owner_operator=operator,
            status=status,
            due_date=due,
            closed_at=closed or (timezone.now() if status != "open" else None),
        )
        Action.objects.filter(pk=a.pk).update(created_at=created or session.starts_at)
        return a

    action(s1, "done", created=at(9, 1), closed=at(9, 5))
    action(s1, "done", created=at(9, 1), closed=at(9, 11))
    action(s1, "open", due=datetime.date(2020, 9, 20))
    action(s1, "dropped")
    action(s2, "open", due=datetime.date(2020, 10, 15))
    return SimpleNamespace(
        series=series, operator=operator, other=other, other_referent=other_referent, sessions=[s1, s2, s3]
    )
