"""The benchmark's measure of the map's fluidity (devtools/bench/browser.py)
works on the map page as served: its data answered with a synthetic graph,
the graph drawn, frames counted while zooming and dragging."""

import pytest
from django.conf import settings
from django.test import Client

from devtools.bench.browser import map_fluidity

from ..factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_is_measured_with_a_synthetic_network(live_server, browser):
    client = Client()
    client.force_login(UserFactory())
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    figures = map_fluidity(live_server.url, cookie, operators=40, links=80, browser=browser)

    assert figures["operators"] == 40 and figures["links"] == 80
    assert 0 < figures["draw_ms"] < 60_000
    assert figures["frames"] > 10 and 0 < figures["frame_p50_ms"] <= figures["frame_p95_ms"]
