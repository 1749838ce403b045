"""The evaluation's indicators of a consultation: contributions per session, shares answered
and retained, time to answer."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import services
from consultations.selectors import consultation_indicators
from evaluations.indicators import key_figures, series_indicators

from ..factories import SessionFactory
from ..factories.consultations import ContributionFactory, consultation_series

pytestmark = pytest.mark.django_db


def test_indicators_of_a_consultation(coordinator):
    series = consultation_series(coordinator)
    first, second = SessionFactory(series=series), SessionFactory(series=series)
    a, b, c = (ContributionFactory(session=first) for _ in range(3))
    ContributionFactory(session=second)
    withdrawn = ContributionFactory(session=second)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    merged = services.items_merge(actor=coordinator, items=[b, c])
    later = timezone.now() + datetime.timedelta(days=3)
    services.item_answer(actor=coordinator, item=a, status="retained", now=later)
    services.item_answer(actor=coordinator, item=merged, status="not_retained", reason="Hors cadre", now=later)
    with CaptureQueriesContext(connection) as queries:
        figures = consultation_indicators(series)
    assert len(queries) == 1
    assert figures["contributions"] == 4 and figures["per_session"] == 2
    assert figures["items"] == 3  # a, the merged item, the second session's
    assert figures["answered"] == round(2 / 3, 4) and figures["retained"] == round(1 / 3, 4)
    assert figures["median_days_to_answer"] == 3.0
    labels = dict(key_figures(series_indicators(series)))
    assert labels["Contributions par séance"] == "2"


def test_other_series_have_no_consultation_indicators(series):
    assert "consultation" not in series_indicators(series)
