"""The board of 200 contributions in 8 themes: a fixed number of queries at 1 and 200 items,
whatever the theme shown, and a bounded page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import services
from consultations.models import Contribution, Theme

from ..factories import SessionFactory
from ..factories.consultations import ContributionFactory, consultation_series

pytestmark = pytest.mark.django_db


def _count(client, url, params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("shown", ["", "none", "theme"])
def test_the_board_runs_a_fixed_number_of_queries_at_1_and_200_items_in_8_themes(coordinator, series, shown):
    sitting = SessionFactory(series=consultation_series(coordinator))
    themes = [Theme.objects.create(session=sitting, name=f"Thème {n}", position=n) for n in range(8)]
    # The one item is in the list shown (the unsorted ones, or the first theme's).
    first = ContributionFactory(session=sitting, theme=None if shown == "none" else themes[0], author=coordinator)
    SessionFactory(series=series)
    services.item_forward(actor=coordinator, item=first, series=series)
    client = Client()
    client.force_login(coordinator)
    url = reverse("consultations:board", args=[sitting.public_id])
    params = {"theme": themes[0].pk} if shown == "theme" else {"theme": shown}
    client.get(url, params)
    one, _response = _count(client, url, params)
    Contribution.objects.bulk_create(
        Contribution(session=sitting, text=f"Proposition {n}", theme=themes[n % 8] if n % 3 else None, position=n)
        for n in range(199)
    )
    merged = services.items_merge(actor=coordinator, items=list(Contribution.objects.filter(theme=themes[0])[:3]))
    services.item_move(actor=coordinator, item=merged, theme=themes[0])
    many, response = _count(client, url, params)
    assert many == one
    assert len(response.context["board"].page.object_list) <= 50
    assert len(response.context["board"].themes) == 8
