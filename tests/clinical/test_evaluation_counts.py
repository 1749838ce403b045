"""The evaluation of a clinical concertation counts meetings held, situations presented
and follow-ups given — never a text, and a purged situation still counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinical import services
from evaluations.indicators import key_figures, series_indicators

from ..factories.clinical import situation_propose

SECRET = "CANARI-évaluation"


def test_counts_without_text(clinical, member, coordinator, next_meeting):
    presented = situation_propose(clinical, member, question=SECRET)
    situation_propose(clinical, member)
    services.situation_choose(actor=coordinator, situation=presented, version=0, session=next_meeting)
    services.recommendation_add(actor=coordinator, situation=presented, text=SECRET)
    services.follow_up_add(actor=member, situation=presented, text=SECRET)
    services.situation_purge(situation=presented)
    next_meeting.status = "held"
    next_meeting.save()
    with CaptureQueriesContext(connection) as queries:
        indicators = series_indicators(clinical)
    assert len(queries) == 13
    assert indicators["clinical"] == {"situations_proposed": 2, "situations_presented": 1, "feedback_given": 1}
    figures = dict(key_figures(indicators))
    assert figures["Rencontres cliniques tenues"] == "1" and figures["Situations présentées"] == "1"
    assert SECRET not in str(indicators) + str(figures)


def test_other_series_have_no_clinical_counts(series):
    assert "clinical" not in series_indicators(series)
