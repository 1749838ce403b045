from zoneinfo import ZoneInfo

from django.core.management import call_command

from accounts.models import User
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
    from meetings.models import Series, Session, SlotPoll

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
    venues = list(archipel.sessions.order_by("starts_at").values_list("venue", flat=True))
    assert len(venues) == 5 and len(set(venues)) == 3
