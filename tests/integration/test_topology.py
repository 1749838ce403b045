"""The production topology on loopback: gunicorn with two workers
(deploy/gunicorn.conf.py, DEBUG off, collected static files), a Celery worker
and one beat (the database scheduler, as deploy/systemd runs it), against the
real PostgreSQL and Redis; an SMTP server on loopback (aiosmtpd) receives the
mail. A coordinator logs in through the login form, loads pages, cancels a
session, and the member of a participating operator receives the
cancellation; /healthz answers; everything started is stopped.

Needs PostgreSQL and Redis: without them the test is skipped, unless
CARREFOUR_REQUIRE_SERVICES is set, as in CI, where a missing service fails it.
"""

import datetime
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from meetings.models import Participation, Session
from meetings.notifications import MeetingKind
from notifications.models import Notification
from operators.models import MembershipRole

from ..factories import MembershipFactory, OperatorFactory, SeriesFactory, SessionFactory, UserFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER = REDIS_URL.rsplit("/", 1)[0] + "/12" if REDIS_URL else ""
BIN = Path(sys.executable).parent
ROOT = Path(settings.BASE_DIR)
PASSWORD = "topologie-sur-boucle-locale"

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _need_services():
    reason = ""
    if connection.vendor != "postgresql":
        reason = "the topology needs the PostgreSQL test database (DATABASE_URL)"
    elif not REDIS_URL:
        reason = "REDIS_URL is not set"
    if reason:
        if os.environ.get("CARREFOUR_REQUIRE_SERVICES"):
            pytest.fail(f"Required service missing: {reason}")
        pytest.skip(reason)
    import redis

    redis.Redis.from_url(BROKER).flushdb()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    def __init__(self):
        self.delivered: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.delivered.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.delivered if m["To"] == address]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    mailbox.port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()


class Topology:
    """The processes of one machine of each kind, each in its own process group."""

    def __init__(self, smtp_port: int, tmp_path: Path):
        db = connection.settings_dict
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = tmp_path
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "0",
            "SECRET_KEY": "topology-test-" + "k" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.base,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": BROKER,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "NOTIFICATIONS_SCAN_SECONDS": "1",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CONN_MAX_AGE": "0",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_ACCESS_LOG": "",
            # Plain HTTP on loopback, with no TLS proxy in front.
            "SECURE_SSL_REDIRECT": "0",
            # The coordinator who signs in here has no authenticator app: the second
            # factor has its own tests (tests/accounts/test_second_factor.py).
            "SECOND_FACTOR_REQUIRED": "0",
        }
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *command: str) -> None:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        self.procs[name] = subprocess.Popen(
            list(command), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_all(self) -> None:
        self.start("web", str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"))
        celery = str(BIN / "celery")
        self.start("worker", celery, "-A", "config", "worker", "--without-gossip", "--without-mingle",
                   "--concurrency=1", "-n", f"topology-{os.getpid()}@localhost", "--loglevel=WARNING")  # fmt: skip
        self.start("beat", celery, "-A", "config", "beat", "--loglevel=WARNING")

    def alive(self) -> dict[str, bool]:
        return {name: proc.poll() is None for name, proc in self.procs.items()}

    def stop_all(self) -> None:
        for proc in self.procs.values():
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.tmp.glob("*.log"))


def _static_is_fresh(manifest: Path) -> bool:
    if not manifest.exists():
        return False
    sources = [
        ROOT / "static",
        ROOT / "node_modules" / "bootstrap" / "dist",
        ROOT / "node_modules" / "htmx.org" / "dist",
    ]
    newest = max((f.stat().st_mtime for d in sources if d.exists() for f in d.rglob("*") if f.is_file()), default=0)
    return manifest.stat().st_mtime >= newest


@pytest.fixture(scope="module")
def collected_static():
    """The production storage needs its manifest: collectstatic, as at every
    release (about a minute on 2 cores: it compresses every file; skipped
    when the collected files are newer than their sources)."""
    if _static_is_fresh(Path(settings.STATIC_ROOT) / "staticfiles.json"):
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "0", "SECRET_KEY": "x" * 60}
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )


@pytest.fixture
def topology(smtp, tmp_path, collected_static):
    machines = Topology(smtp.port, tmp_path)
    yield machines
    machines.stop_all()


def _wait(condition, *, timeout: float, what: str, topology: Topology):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}\n{topology.logs()}")


class Browser:
    """Just enough of a browser: cookies kept by hand (they are Secure, DEBUG being off), no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(self._NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Referer"] = self.base + path
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)

    def post(self, path: str, form_html: str, data: dict) -> tuple[int, str, dict]:
        """Submit `data` with the CSRF token of the form the page showed."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_html)
        assert token, "no CSRF token in the form"
        return self.request(path, {**data, "csrfmiddlewaretoken": token.group(1)})


def _pilot():
    """A coordinator (who logs in), a series and the member of a participating operator."""
    from allauth.account.models import EmailAddress

    coordinator = UserFactory(coordinator=True, email="coordination@topologie.example")
    # The web processes run the production hasher list: a PBKDF2 hash they can check.
    coordinator.password = PBKDF2PasswordHasher().encode(PASSWORD, "topologysalt", iterations=1000)
    coordinator.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=coordinator, email=coordinator.email, defaults={"verified": True, "primary": True}
    )
    operator = OperatorFactory()
    member = MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user
    series = SeriesFactory()
    series.coordinators.add(coordinator)
    Participation.objects.create(series=series, operator=operator, since=datetime.date(2026, 1, 1))
    # Beyond the invitation horizon: nothing is due about it until it is cancelled.
    session = SessionFactory(series=series, starts_at=timezone.now() + datetime.timedelta(days=30))
    return coordinator, member, series, session


def test_web_worker_and_beat_serve_a_person_and_deliver_a_notification(smtp, topology):
    coordinator, member, series, session = _pilot()
    topology.start_all()
    browser = Browser(topology.base)

    def healthy():
        try:
            status, body, _ = browser.request("/healthz")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False
        return status == 200

    _wait(healthy, timeout=60, what="gunicorn to answer /healthz", topology=topology)
    status, body, headers = browser.request("/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in headers.get("Cache-Control", "") or "max-age=0" in headers.get("Cache-Control", "")

    # Two workers serve: the arbiter and its two children.
    web = topology.procs["web"]
    children = subprocess.run(["pgrep", "-P", str(web.pid)], capture_output=True, text=True).stdout.split()
    assert len(children) == 2, topology.logs()

    # Log in through the login form.
    status, html, _ = browser.request("/accounts/login/")
    assert status == 200
    status, _, headers = browser.post("/accounts/login/", html, {"login": coordinator.email, "password": PASSWORD})
    assert status == 302, topology.logs()
    assert headers["Location"] == "/"
    assert "sessionid" in browser.cookies

    # Load pages, with their static files from the collected manifest.
    status, html, headers = browser.request("/")
    assert status == 200, html[:500]
    assert coordinator.name in html
    assert "Content-Security-Policy" in headers
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', html)
    assert stylesheet and re.search(r"\.[0-9a-f]{12}\.css$", stylesheet.group(1)), "hashed static names"
    assert browser.request(stylesheet.group(1))[0] == 200
    status, html, _ = browser.request(f"/series/sessions/{session.public_id}/")
    assert status == 200 and series.name in html

    # Cancel the session through the web: beat's scan makes the row, the worker sends it.
    status, html, _ = browser.request(f"/series/sessions/{session.public_id}/cancel/")
    assert status == 200
    status, _, _ = browser.post(
        f"/series/sessions/{session.public_id}/cancel/", html, {"reason": "Salle indisponible."}
    )
    assert status == 302, topology.logs()
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED

    _wait(lambda: smtp.to(member.email), timeout=90, what="the cancellation email", topology=topology)
    message = smtp.to(member.email)[0]
    assert "Salle indisponible." in message.get_body(preferencelist=("plain",)).get_content()
    row = Notification.objects.get(recipient=member, kind=MeetingKind.SESSION_CANCELLED)
    assert row.state == Notification.State.SENT

    # Everything still runs, then everything stops.
    assert all(topology.alive().values()), topology.logs()
    topology.stop_all()
    assert not any(topology.alive().values())
    for proc in topology.procs.values():
        leftover = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert not leftover, f"processes left behind: {leftover}"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(topology.base + "/healthz", timeout=3)
