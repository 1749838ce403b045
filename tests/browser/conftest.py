"""Headless Chromium (Debian's) driven by Playwright, with axe-core and Nu Html Checker checks."""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium.")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class HtmlPages:
    """The HTML of every page a test checks, validated when the test ends by
    the Nu Html Checker in one run (its JVM takes seconds to start).

    What is kept is the document as the person has it at the check, htmx
    swaps included, so the partials are validated where they land."""

    def __init__(self):
        self.pages: dict[str, tuple[str, str]] = {}

    def keep(self, page) -> None:
        html = page.content()
        self.pages.setdefault(hashlib.sha256(html.encode()).hexdigest(), (page.url, html))

    def errors(self) -> list[str]:
        if not self.pages:
            return []
        java = shutil.which("java")
        if java is None or not VNU_JAR.exists():
            pytest.fail("Java or node_modules/vnu-jar is missing: `make test` installs both.")
        with tempfile.TemporaryDirectory() as folder:
            files = {}
            for number, (url, html) in enumerate(self.pages.values()):
                path = Path(folder) / f"page-{number:03d}.html"
                path.write_text(html, encoding="utf-8")
                files[path.name] = (str(path), url)
            command = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
            run = subprocess.run(
                [*command, *(path for path, _url in files.values())], capture_output=True, text=True, timeout=300
            )
        found = []
        for message in json.loads(run.stdout)["messages"]:
            _path, url = files.get(message.get("url", "").rsplit("/", 1)[-1], ("", message.get("url")))
            extract = message.get("extract", "").strip()
            found.append(f"{url} line {message.get('lastLine', '?')}: {message['message']} — {extract}")
        return found


# The pages checked during the current test, from every browser context it opens.
html_pages = HtmlPages()


@pytest.fixture
def page(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    # axe is injected by the test, which a strict CSP would otherwise refuse.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="fr-BE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    html_pages.pages.clear()
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    invalid = html_pages.errors()
    html_pages.pages.clear()
    assert not invalid, "HTML errors (Nu Html Checker):\n" + "\n".join(invalid)


def axe_check(page) -> None:
    """Fail on any serious or critical accessibility finding on the page, and
    keep its HTML for the Nu Html Checker that runs when the test ends."""
    html_pages.keep(page)
    script = page.add_script_tag(path=str(AXE_JS))
    script.evaluate("tag => tag.remove()")  # axe stays loaded; the page's HTML stays the page's
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"Accessibility violations on {page.url}:\n" + "\n".join(bad)


def visit(page, path: str):
    """Go to `path`, check the page answered, passes axe and (at the end of the test) the Nu Html Checker."""
    response = page.goto(path)
    assert response is not None and response.status < 400, f"{path} answered {response and response.status}"
    axe_check(page)
    return response


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page, email: str, password: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
