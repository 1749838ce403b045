"""The Archipel group's situations in the demo."""

from django.core.management import call_command

from clinical.models import FollowUp, Recommendation, Situation


def test_the_archipel_group_has_its_situations(db):
    call_command("seed_demo")
    rows = Situation.objects.filter(series__name__startswith="Groupe de concertations cliniques").order_by("pk")
    assert [s.status for s in rows] == ["presented", "presented", "chosen", "chosen"]
    purged, presented, *chosen = rows
    assert purged.purged_at and purged.question.startswith("[texte supprimé le ")
    assert presented.purged_at is None and not presented.awaits_feedback
    assert Recommendation.objects.filter(situation=presented).count() == 2
    assert FollowUp.objects.filter(situation=presented).count() == 1
    assert chosen[0].session == chosen[1].session and chosen[0].session.starts_at > presented.session.starts_at
    call_command("seed_demo")
    assert Situation.objects.count() == 4
