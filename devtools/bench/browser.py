"""The map's fluidity with a large network, in headless Chromium.

The benchmark's network has 60 operators; the map must stay fluid with 300
(issue 16). The map page is served by the benchmark's server as usual, and
its data request is answered with a graph of MAP_OPERATORS operators and
MAP_LINKS links of the shape `bassins.selectors.network.network_data` gives.
Measured: the time from the page's load to the graph drawn, and the
intervals between the frames the browser paints while the user zooms with
the wheel and drags the view (60 frames a second is 16.7 ms a frame).
"""

import math
import random
import statistics
import time

from django.urls import reverse

from operators.models import Operator

MAP_OPERATORS = 300
MAP_LINKS = 1500
CHROMIUM = "/usr/bin/chromium"

# Records the intervals between painted frames until asked for them.
FRAMES_START = """() => {
  window.__frames = [];
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  };
  window.__recording = true;
  requestAnimationFrame(tick);
}"""
FRAMES_STOP = "() => { window.__recording = false; return window.__frames.slice(1); }"


def synthetic_graph(operators: int = MAP_OPERATORS, links: int = MAP_LINKS, *, seed: int = 16) -> dict:
    """A graph of `operators` nodes and `links` edges, spread as the map spreads them."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible picture, not a secret
    kinds = list(Operator.Kind.choices)
    nodes = []
    for n in range(operators):
        kind, label = kinds[n % len(kinds)]
        angle, radius = n * 2.399963, 40 * (n**0.5)  # a sunflower spiral: evenly spread, no overlap
        nodes.append(
            {
                "data": {
                    "id": f"op{n}",
                    "slug": f"operator-{n}",
                    "label": f"Service {n}",
                    "name": f"Service de test {n}",
                    "kind": kind,
                    "kindLabel": str(label),
                    "activity": rng.randint(1, 60),
                    "size": rng.randint(20, 60),
                    "url": f"/operators/operator-{n}/",
                },
                "position": {"x": round(radius * math.cos(angle), 1), "y": round(radius * math.sin(angle), 1)},
            }
        )
    pairs = set()
    while len(pairs) < links:
        a, b = sorted(rng.sample(range(operators), 2))
        pairs.add((a, b))
    edges = [
        {
            "data": {
                "id": f"l{a}-{b}",
                "source": f"op{a}",
                "target": f"op{b}",
                "kinds": ["Série commune"],
                "count": (count := rng.randint(1, 12)),
                "width": min(1 + count, 10),
            }
        }
        for a, b in sorted(pairs)
    ]
    return {"nodes": nodes, "edges": edges}


def map_fluidity(
    base: str, cookie: str, *, operators: int = MAP_OPERATORS, links: int = MAP_LINKS, browser=None
) -> dict:
    """Draw time and frame intervals of the map with a graph of `operators` nodes
    (see the module), in `browser` (a Playwright browser) or a Chromium of its own."""
    if browser is not None:
        return _measure(browser, base, cookie, synthetic_graph(operators, links)) | {
            "operators": operators,
            "links": links,
        }
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        own = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            figures = _measure(own, base, cookie, synthetic_graph(operators, links))
        finally:
            own.close()
    return figures | {"operators": operators, "links": links}


def _measure(browser, base: str, cookie: str, graph: dict) -> dict:
    cookies = [
        {"name": name, "value": value, "url": base}
        for name, _, value in (part.strip().partition("=") for part in cookie.split(";") if part.strip())
    ]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_cookies(cookies)
        page = context.new_page()
        page.route("**/map/data.json*", lambda route: route.fulfill(json=graph))
        started = time.perf_counter()
        page.goto(base + reverse("bassins:map"))
        page.wait_for_selector("#network-map[data-drawn]", state="attached", timeout=60_000)
        draw_ms = (time.perf_counter() - started) * 1000
        box = page.locator("#network-map").bounding_box()
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.move(*centre)
        page.evaluate(FRAMES_START)
        for step in range(30):  # zoom in, then out
            page.mouse.wheel(0, -100 if step < 15 else 100)
            page.wait_for_timeout(16)
        page.mouse.down()
        for step in range(30):  # drag the view around
            page.mouse.move(centre[0] + 8 * step, centre[1] + 4 * step)
            page.wait_for_timeout(16)
        page.mouse.up()
        frames = sorted(page.evaluate(FRAMES_STOP)) or [0.0]
    finally:
        context.close()
    return {
        "draw_ms": round(draw_ms),
        "frames": len(frames),
        "frame_p50_ms": round(statistics.median(frames), 1),
        "frame_p95_ms": round(frames[min(len(frames) - 1, int(len(frames) * 0.95))], 1),
    }
