import datetime as dt
import re
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from devtools.demo import ARCHIPEL_PEOPLE, PEOPLE
from devtools.demo_current import CURRENT_SERIES
from meetings.models import (
    Absence,
    Action,
    AgendaItem,
    AgendaTemplate,
    Attendance,
    CooperationNeed,
    Decision,
    InfoRoundAnswer,
    InfoRoundEntry,
    Minutes,
    NeedEndorsement,
    NeedMention,
    NeedStage,
    NeedStageChange,
    Series,
    Session,
    SlotPoll,
)
from meetings.selectors.capacity import capacity_board
from meetings.selectors.inforound import info_round_board, info_round_phase
from notifications.models import Notification
from notifications.scan import notifications_scan
from operators.models import Operator, OperatorMembership

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo")
    counts = (User.objects.count(), Operator.objects.count(), OperatorMembership.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Operator.objects.count(), OperatorMembership.objects.count()) == counts
    out = capsys.readouterr().out
    assert "carrefour-demo-2020" in out and "claire.dubois@pfcsm.example" in out
    names = set(Operator.objects.values_list("short_name", flat=True))
    assert {"@tribu mobile", "Pléiade", "Emism", "Canopée", "Polaris"} <= names
    for slug in ("fil-rouge-tribu-mobile", "pleiade", "emism", "canopee", "polaris"):
        roles = set(OperatorMembership.objects.filter(operator__slug=slug).values_list("role", flat=True))
        assert roles == {"referent", "member"}


def test_demo_logins_work(db, client):
    call_command("seed_demo")
    response = client.post(
        "/accounts/login/", {"login": "julie.martin@tribu-mobile.example", "password": "carrefour-demo-2020"}
    )
    assert response.status_code == 302
    assert "L'@tribu mobile" in client.get("/").content.decode() or "@tribu mobile" in client.get("/").content.decode()


def test_demo_has_the_namur_pilot_and_the_archipel_calendar(db):
    call_command("seed_demo")
    call_command("seed_demo")
    namur = Series.objects.get(name__startswith="Visioconférence hebdomadaire")
    assert namur.participations.count() == 5
    sessions = list(namur.sessions.order_by("starts_at"))
    assert len(sessions) == 13  # every Tuesday from 1 September to 24 November 2020
    assert all(s.starts_at.astimezone(BRUSSELS).strftime("%a %H:%M") == "Tue 13:30" for s in sessions)
    assert [s.status for s in sessions].count(Session.Status.CANCELLED) == 1
    assert SlotPoll.objects.get(series=namur).status == SlotPoll.Status.CLOSED
    archipel = Series.objects.get(kind=Series.Kind.CLINICAL)
    # Its calendar (the demo of its situations adds an extra, earlier meeting: devtools/demo_clinical.py).
    venues = list(archipel.sessions.filter(is_extra=False).order_by("starts_at").values_list("venue", flat=True))
    assert len(venues) == 5 and len(set(venues)) == 3


# The Namur season (issue 4) --------------------------------------------------------------------------

SEASON_MODELS = (
    "AgendaTemplate",
    "AgendaItem",
    "InfoRoundEntry",
    "InfoRoundAnswer",
    "Attendance",
    "Minutes",
    "MinutesRevision",
    "Decision",
    "Action",
    "CooperationNeed",
    "NeedEndorsement",
    "NeedMention",
    "NeedStageChange",
    "Theme",
)
# Signs of personal or clinical data that must never be in demo texts.
PERSONAL = [
    r"\b\d{1,3}\s*ans\b",  # an age
    r"\b(M\.|Mme|Madame|Monsieur|Mlle)\s",  # someone addressed
    r"\bn[ée]e? le\b",  # a birth date
    r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}",  # a national register number
    r"\bpatient",
    r"\bdiagnostic",
    r"@",
    r"\+32|\b0\d{1,3}[ /.]\d{2}",  # a phone number
]


def _counts():
    return {name: apps.get_model("meetings", name).objects.count() for name in SEASON_MODELS}


def _season_texts():
    yield from InfoRoundAnswer.objects.values_list("text", flat=True)
    yield from AgendaItem.objects.values_list("notes", flat=True)
    yield from Minutes.objects.values_list("summary", flat=True)
    yield from Decision.objects.values_list("text", flat=True)
    for description, comment in Action.objects.values_list("description", "close_comment"):
        yield from (description, comment)
    for title, description in CooperationNeed.objects.values_list("title", "description"):
        yield from (title, description)
    yield from NeedEndorsement.objects.values_list("comment", flat=True)
    yield from NeedMention.objects.values_list("note", flat=True)
    yield from NeedStageChange.objects.values_list("reason", flat=True)
    yield from AgendaTemplate.objects.values_list("change_note", flat=True)


def test_the_season_is_seeded_once(db):
    call_command("seed_demo")
    counts = _counts()
    # The Namur season's eight needs, the Bassin Sud's nine priority actions of 2023 and the need its
    # help desk handed over, and last week's minutes.
    assert counts["Minutes"] == 12 + 1 and counts["CooperationNeed"] == 8 + 9 + 1
    call_command("seed_demo")
    assert _counts() == counts


def test_the_namur_season_tells_a_plausible_story(db):
    call_command("seed_demo")
    namur = Series.objects.get(name__startswith="Visioconférence hebdomadaire")
    sessions = list(namur.sessions.order_by("starts_at"))
    held = [s for s in sessions if s.status == Session.Status.HELD]
    assert len(held) == 12

    # No session outside the pilot, and nothing recorded outside its sessions.
    start, end = namur.pilot_start, namur.pilot_end
    assert all(start <= s.starts_at.astimezone(BRUSSELS).date() <= end for s in sessions)
    outside = Session.objects.filter(series=namur).exclude(pk__in=[s.pk for s in sessions])
    assert not outside.exists()
    assert not InfoRoundEntry.objects.filter(session__series=namur).exclude(session__in=held).exists()

    # Two versions of the "conduite de réunion": v1 for three sessions, v2 from the fourth.
    v1, v2 = namur.agenda_templates.order_by("version")
    assert (v1.version, v2.version, v2.status) == (1, 2, "published")
    assert "3 minutes par opérateur" in v2.change_note
    assert v1.published_at < sessions[0].starts_at and sessions[2].starts_at < v2.published_at < sessions[3].starts_at
    assert [s.agenda_template_id for s in sessions] == [v1.pk] * 3 + [v2.pk] * 10
    assert sum(i.timebox for i in sessions[3].agenda_items.all()) == 60

    # The info round: most in time, some late, some missing, some "rien de neuf"; all before the session.
    entries = InfoRoundEntry.objects.filter(session__series=namur).select_related("session")
    assert 40 < entries.count() < 60
    assert entries.filter(is_late=True).count() >= 3
    assert entries.filter(nothing_new=True).count() >= 3
    assert all(e.submitted_at < e.session.starts_at for e in entries)
    assert all(e.submitted_at > e.session.starts_at - dt.timedelta(days=namur.info_round_open_days) for e in entries)

    # Minutes with notes and attendance per operator and per person; the last one waits for publication.
    statuses = list(Minutes.objects.filter(session__series=namur).order_by("session__starts_at").values_list("status"))
    assert statuses == [("published",)] * 11 + [("approved",)]
    first = held[0]
    assert all(item.notes for item in first.agenda_items.all())
    assert Attendance.objects.filter(session=first, user__isnull=True).count() == 5
    assert Attendance.objects.filter(session=first, user__isnull=False, status="present").exists()
    assert Minutes.objects.get(session=first).revisions.count() == 3

    # Decisions and actions: some done, one dropped, some open and overdue today.
    actions = Action.objects.filter(series=namur)
    assert {a.status for a in actions} == {"open", "done", "dropped"}
    today = timezone.localdate()
    assert actions.filter(status="open", due_date__lt=today).count() >= 1
    assert all(a.closed_at.astimezone(BRUSSELS).date() <= end for a in actions.exclude(status="open"))
    assert namur.decisions.count() >= 3

    # Needs at every stage, with endorsements, mentions and a history following the sessions.
    needs = CooperationNeed.objects.filter(series=namur)
    assert set(needs.values_list("stage", flat=True)) == set(NeedStage.values)
    assert needs.filter(endorsements__isnull=False).distinct().count() >= 3
    assert needs.filter(mentions__session__isnull=False).distinct().count() >= 5
    for need in needs:
        changes = list(need.stage_changes.order_by("at", "pk"))
        assert changes[0].from_stage == "" and changes[-1].to_stage == need.stage
        assert need.stage_changed_at == changes[-1].at
        assert all(sessions[0].starts_at <= c.at <= sessions[-1].ends_at for c in changes)
        assert all(a.to_stage == b.from_stage for a, b in zip(changes, changes[1:], strict=False))
    taken_up = needs.get(stage="taken_up")
    assert taken_up.actions.exists() and taken_up.decisions.exists()

    # Plausible Belgian French, free of personal or clinical details.
    names = [name for _email, name, *_rest in PEOPLE + ARCHIPEL_PEOPLE]
    texts = [t for t in _season_texts() if t]
    assert len(texts) > 200
    for text in texts:
        for pattern in PERSONAL:
            assert not re.search(pattern, text, re.IGNORECASE), (pattern, text)
        for name in names:
            assert name not in text and name.split()[-1] not in text, (name, text)


def test_the_demo_dashboards_show_something_today(db, client):
    call_command("seed_demo")
    client.post("/accounts/login/", {"login": "isabelle.henrard@beauvallon.example", "password": "carrefour-demo-2020"})
    body = client.get(reverse("core:home")).content.decode()
    assert "Rédiger avec Polaris une note de procédure" in body and "En retard" in body
    assert "Relais de nuit et de week-end" in body
    assert "Compte rendu du mardi 17 novembre 2020" in body

    client.logout()
    client.post("/accounts/login/", {"login": "helene.jacquet@archipel.example", "password": "carrefour-demo-2020"})
    body = client.get(reverse("core:home")).content.decode()
    assert "Préparation des prochaines séances" in body and "2027" in body

    client.logout()
    client.post("/accounts/login/", {"login": "claire.dubois@pfcsm.example", "password": "carrefour-demo-2020"})
    body = client.get(reverse("core:home")).content.decode()
    assert "Actions en retard" in body and "Rédiger avec Polaris une note de procédure" in body
    assert "Approuvé" in body  # the minutes of 24 November wait for publication


def test_the_demo_leaves_notifications_due_now(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    notifications_scan()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"poll_invitation", "join_request_received"} <= kinds


def test_the_namur_demo_shows_capacity_absences_and_minutes_approved_at_the_next_session(db, client):
    call_command("seed_demo", verbosity=0)
    namur = Series.objects.get(name__startswith="Visioconférence hebdomadaire")

    # Canopée saturated three sessions running in late October, which the board shows at a glance.
    board = capacity_board(series=namur, now=timezone.now())
    canopee = next(row for row in board.rows if row.operator.slug == "canopee")
    levels = [cell.level if cell else "" for cell in canopee.cells]
    assert levels.count("saturated") == 3 and max(r.saturated_streak for r in board.rows) <= 3
    october = [s for s in board.shares if s.session.starts_at.month == 10 and s.signals]
    assert max(s.share for s in october) >= 0.2

    # Emism away a week, with a member standing in: "absent" on the board of 10 November.
    absence = Absence.objects.get(operator__slug="emism")
    assert absence.substitute.memberships.filter(operator__slug="emism").exists()
    nov10 = namur.sessions.get(starts_at__date=dt.date(2020, 11, 10))
    assert {r.operator.slug: r.status for r in info_round_board(session=nov10)}["emism"] == "absent"

    # The minutes of 17 November: provisional, one correction, approved at the session of 24 November.
    nov17 = Minutes.objects.get(session__series=namur, session__starts_at__date=dt.date(2020, 11, 17))
    nov24 = namur.sessions.get(starts_at__date=dt.date(2020, 11, 24))
    assert not nov17.provisional and nov17.approved_in == nov24
    assert nov17.approved_at.astimezone(BRUSSELS).date() == dt.date(2020, 11, 24)
    assert [c.status for c in nov17.corrections.all()] == ["accepted"]
    assert nov24.agenda_items.order_by("position").first().title == "Approbation du compte rendu du 17 novembre 2020"
    assert nov24.status == Session.Status.HELD


def test_the_demo_has_a_current_season_around_the_day_it_runs(db, client):
    now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=BRUSSELS)
    with time_machine.travel(now, tick=False):
        call_command("seed_demo", verbosity=0)
        call_command("seed_demo", verbosity=0)  # once only
        current = Series.objects.get(name=CURRENT_SERIES)
        last, this_week, next_week = current.sessions.order_by("starts_at")
        assert last.status == "held" and this_week.status == next_week.status == "planned"
        assert last.starts_at < now < this_week.starts_at < next_week.starts_at
        assert info_round_phase(this_week, now) == "open"
        assert this_week.info_round_entries.count() == 2 and last.info_round_entries.count() == 5
        minutes = Minutes.objects.get(session=last)
        assert minutes.provisional and this_week.agenda_items.filter(minutes_to_approve=minutes).exists()
        assert any(
            row.cells[0] and row.cells[0].level == "saturated" for row in capacity_board(series=current, now=now).rows
        )

        client.post(
            "/accounts/login/", {"login": "isabelle.henrard@beauvallon.example", "password": "carrefour-demo-2020"}
        )
        body = client.get(reverse("core:home")).content.decode()
        assert CURRENT_SERIES.replace("'", "&#x27;") in body or CURRENT_SERIES in body
