"""The measuring run of `make bench` (manage.py bench).

1. The query count of each page, in this process (CaptureQueriesContext on
   the same database), once on the demo data and once on the large network.
2. The portal served the production way: gunicorn (deploy/gunicorn.conf.py,
   one worker per core), DEBUG off, PostgreSQL, Redis cache, collected static
   files; people log in through the real login form.
3. wrk drives each page for a few seconds at 1 and at 8 connections, on
   127.0.0.1 only: requests per second and p50/p95/p99 latency; each page
   is also given as a ratio to the floor (devtools.bench.views.floor).
4. Timings of background work: the notification scan, the weekly digest of
   1 000 people, generating five years of sessions, the evaluation exports.
5. The anonymisation guard on a 3 000-character clinical vignette, in this
   process, once its French model is loaded: median and p95 of a check.

Everything it starts it stops; everything it writes in the database it rolls
back. The figures go to the terminal and to var/bench/results.json.
"""

import contextlib
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from anonymisation.guard import check as guard_check
from devtools import demo
from evaluations.exporters import exporter_for
from evaluations.exporters.document import export_document
from evaluations.models import Evaluation
from meetings.models import (
    Action,
    CalendarFeed,
    CooperationNeed,
    Decision,
    InfoRoundAnswer,
    InfoRoundEntry,
    Minutes,
    Series,
    Session,
)
from meetings.services.series import series_create
from meetings.services.sessions import series_set_recurrence
from notifications.delivery import notification_render
from notifications.digest import DigestKind, digest_batch
from notifications.models import Notification
from notifications.scan import notifications_scan
from operators.models import Operator, OperatorMembership

from . import browser, seed

ROOT = Path(settings.BASE_DIR)
OUT = ROOT / "var" / "bench"
LUA = Path(__file__).with_name("wrk_report.lua")
CONCURRENCY = (1, 8)
P95_BUDGET_MS = 150
FLOOR_RATIO_BUDGET = 3  # the median page
WORST_RATIO_BUDGET = 5
RSS_BUDGET_MIB = 120
DIGEST_PEOPLE = 1000
DIGEST_BUDGET_S = 5
DIGEST_BATCH = 100  # people per batch, as the weekly run sends them (notifications.tasks)
SCAN_BUDGET_S = 0.5
GUARD_BUDGET_MS = 300  # p95 of one check of a 3 000-character vignette (issue 14)
# The map with 300 operators (issue 16): drawn within 2 s, and frames while zooming and
# dragging at 20 a second or more (p95 of the intervals).
MAP_DRAW_BUDGET_MS = 2000
MAP_FRAME_BUDGET_MS = 50
GUARD_RUNS = 30


class BenchError(RuntimeError):
    pass


@dataclass
class Page:
    key: str
    label: str
    persona: str  # "coordinator", "referent" or "" (no login: a token URL)
    urls: dict = field(default_factory=dict)  # "demo" / "large" → path
    queries: dict = field(default_factory=dict)
    load: dict = field(default_factory=dict)  # connections → wrk figures


# --- What to measure --------------------------------------------------------


# The same shapes in both datasets: a coordinator who is also a member of the
# network that organises the series (Claire: the demo pilot, held in 2020;
# Hélène: the demo series with sessions to come, for the dashboard), and the
# referent of an operator taking part.
DEMO_PERSONAS = {
    "coordinator": "claire.dubois@pfcsm.example",
    "coordinator_next": "helene.jacquet@archipel.example",
    "referent": "julie.martin@tribu-mobile.example",
}


def _personas(dataset: str) -> dict:
    if dataset == "demo":
        emails = DEMO_PERSONAS
    else:
        size = seed.TINY if dataset == "tiny" else seed.LARGE
        coordinator = seed.coordinator_email(size)
        emails = {"coordinator": coordinator, "coordinator_next": coordinator, "referent": seed.referent_email(size)}
    found = {role: User.objects.get(email=email) for role, email in emails.items()}
    for user in found.values():
        second_factor(user)
    return found


def second_factor(user) -> str:
    """The secret of `user`'s authenticator app, set up when missing: the
    personas sign in as production asks of their roles (coordinators and
    whoever reaches a series under a charter), with a second factor."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    app = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if app is None:
        app = TOTP.activate(user, generate_totp_secret()).instance
    return get_adapter().decrypt(app.data["secret"])


def _objects(dataset: str, personas: dict) -> dict:
    """The series, session, operator… each page is shown for."""
    name = demo.NAMUR_SERIES if dataset == "demo" else seed.series_name(0, 0)
    series = Series.objects.get(name=name)
    held = (
        # Minutes published directly in both datasets (the demo's latest went
        # through provisional minutes, whose corrections cost two more queries):
        # the same shape of page, so that the query counts compare.
        Session.objects.filter(
            series=series,
            status=Session.Status.HELD,
            minutes__status=Minutes.Status.PUBLISHED,
            minutes__approved_in__isnull=True,
        )
        .order_by("-starts_at")
        .first()
    )
    referent = personas["referent"]
    operator = OperatorMembership.objects.filter(user=referent).select_related("operator").first().operator
    # The info-round form: the operator's next session, else its last one.
    taking_part = Session.objects.filter(
        series__participations__operator=operator, series__participations__until__isnull=True
    )
    form_session = (
        taking_part.filter(starts_at__gte=timezone.now(), status=Session.Status.PLANNED).order_by("starts_at").first()
        or taking_part.filter(series=series).order_by("-starts_at").first()
    )
    feed, _ = CalendarFeed.objects.get_or_create(user=referent)
    # The bassin of the series (the Bassin Sud in the demo, a test bassin in the large network).
    bassin = "bruxelles-sud" if dataset == "demo" else series.territory.slug
    return {
        "series": series,
        "held": held,
        "operator": operator,
        "form_session": form_session,
        "feed": feed,
        "bassin": bassin,
    }


def _evaluation_path(series) -> str | None:
    """The page of the series' latest evaluation, when it has one."""
    evaluation = Evaluation.objects.filter(series=series).order_by("-version").first()
    if evaluation is None:
        return None
    return reverse("evaluations:evaluation_detail", kwargs={"evaluation_id": evaluation.public_id})


def pages(datasets=("demo", "large")) -> list[Page]:
    found = {}
    for dataset in datasets:
        personas = _personas(dataset)
        o = _objects(dataset, personas)
        paths = {
            "floor": ("Floor (one query, small template)", "coordinator", reverse("bench_floor")),
            "home": ("Dashboard (core:home)", "coordinator_next", reverse("core:home")),
            "series": (
                "Series page",
                "coordinator",
                reverse("meetings:series_detail", kwargs={"series_id": o["series"].public_id}),
            ),
            "session": (
                "Session page",
                "coordinator",
                reverse("meetings:session_detail", kwargs={"session_id": o["held"].public_id}),
            ),
            "inforound": (
                "Compiled info round",
                "coordinator",
                reverse("meetings:inforound_compiled", kwargs={"session_id": o["held"].public_id}),
            ),
            "inforound_form": (
                "Info-round form",
                "referent",
                reverse(
                    "meetings:inforound_entry",
                    kwargs={"session_id": o["form_session"].public_id, "operator_slug": o["operator"].slug},
                ),
            ),
            "minutes": (
                "Minutes",
                "coordinator",
                reverse("meetings:minutes_detail", kwargs={"session_id": o["held"].public_id}),
            ),
            # Operators × sessions of the series, with the seed's capacity signals.
            "capacity": (
                "Capacity board",
                "coordinator",
                reverse("meetings:series_capacity", kwargs={"series_id": o["series"].public_id}),
            ),
            "actions": ("Actions register", "coordinator", reverse("meetings:action_register")),
            "decisions": ("Decisions register", "coordinator", reverse("meetings:decision_register")),
            "needs": ("Needs board", "coordinator", reverse("meetings:need_board")),
            "directory": ("Directory of operators", "coordinator", reverse("operators:directory")),
            "feed": ("Calendar feed (.ics)", "", reverse("meetings:person_feed", kwargs={"token": o["feed"].token})),
            "bassin": ("Bassin page", "coordinator", reverse("bassins:detail", kwargs={"slug": o["bassin"]})),
            "bassin_state": (
                "Bassin's état des lieux",
                "coordinator",
                reverse("bassins:state", kwargs={"slug": o["bassin"]}),
            ),
            "map": ("Map of the network", "coordinator", reverse("bassins:map")),
            "map_data": ("Map's data (JSON)", "coordinator", reverse("bassins:map_data")),
            "map_table": ("Map's table alternative", "coordinator", reverse("bassins:map_table")),
        }
        evaluation = _evaluation_path(o["series"])
        if evaluation:
            paths["evaluation"] = ("Evaluation page", "coordinator", evaluation)
        for key, (label, persona, path) in paths.items():
            page = found.setdefault(key, Page(key=key, label=label, persona=persona))
            page.urls[dataset] = path
    return list(found.values())


# --- Query counts, in process -----------------------------------------------


def count_queries(page_list: list[Page], datasets=("demo", "large")) -> None:
    for dataset in datasets:
        personas = _personas(dataset)
        clients = {}
        for role, user in personas.items():
            clients[role] = Client(HTTP_HOST="127.0.0.1")
            clients[role].force_login(user)
        clients[""] = Client(HTTP_HOST="127.0.0.1")
        for page in page_list:
            path = page.urls.get(dataset)
            if not path:
                continue
            client = clients[page.persona]
            # secure: the production settings redirect plain HTTP to HTTPS.
            client.get(path, secure=True)  # warm caches: the second request is the one measured
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path, secure=True)
            if response.status_code != 200:
                raise BenchError(f"{page.key} ({dataset}) answered {response.status_code} at {path}")
            page.queries[dataset] = len(ctx.captured_queries)


# --- The server ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with deploy/gunicorn.conf.py on 127.0.0.1, in its own process group."""

    def __init__(self, workers: int):
        self.port = _free_port()
        self.workers = workers
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = OUT / "gunicorn.log"
        self.proc = None

    def __enter__(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "devtools.bench.settings",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_ACCESS_LOG": "",
            # Plain HTTP on loopback, with no TLS proxy in front.
            "SECURE_SSL_REDIRECT": "0",
            # Measure the code, not the periodic recycling of workers.
            "GUNICORN_MAX_REQUESTS": "0",
            "LOG_LEVEL": "WARNING",
        }
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
                [str(Path(sys.executable).with_name("gunicorn")), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn stopped at start:\n{self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:  # noqa: S310 - loopback
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        self.stop()
        raise BenchError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        self.stop()

    def worker_rss_mib(self) -> list[float]:
        """The resident memory of each worker (the master's children), in MiB."""
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            with contextlib.suppress(OSError, ValueError, StopIteration):
                fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
                if int(fields["PPid"]) == self.proc.pid:
                    found.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
        return sorted(found)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(request: urllib.request.Request):
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        return opener.open(request, timeout=30)
    except urllib.error.HTTPError as exc:  # 3xx and 4xx come here without redirects
        return exc


def _cookies(response, jar: dict) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.update({k: m.value for k, m in SimpleCookie(header).items()})


def _submit(base: str, path: str, jar: dict, fields: dict):
    """Open the form at `path` (for its CSRF token) and post `fields` to it, as a browser does."""
    page = _open(urllib.request.Request(base + path, headers={"Cookie": _cookie(jar)}))  # noqa: S310 - loopback
    _cookies(page, jar)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.read())
    if not token:
        raise BenchError(f"no CSRF token on {path}")
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1).decode(), **fields}).encode()
    answer = _open(
        urllib.request.Request(  # noqa: S310 - loopback
            base + path, data=body, headers={"Cookie": _cookie(jar), "Referer": base + path}
        )
    )
    _cookies(answer, jar)
    return answer


def _cookie(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def login(base: str, email: str, password: str) -> str:
    """Log in through the real login form; return the Cookie header of the session.

    The cookies are Secure (DEBUG is off): they are kept by hand, as a proxy
    ending TLS in front of gunicorn would pass them on."""
    jar: dict = {}
    answer = _submit(base, reverse("account_login"), jar, {"login": email, "password": password})
    if answer.status == 302 and answer.headers.get("Location", "").endswith(reverse("mfa_authenticate")):
        _second_step(base, jar, email)
    elif answer.status != 302 or settings.SESSION_COOKIE_NAME not in jar:
        raise BenchError(f"login of {email} failed ({answer.status})")
    return _cookie(jar)


def _second_step(base: str, jar: dict, email: str) -> None:
    """The authenticator app's code, as the person types it (a code is taken
    once: the next one is waited for when the last was just used)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    secret = second_factor(User.objects.get(email=email))
    for _attempt in range(2):
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        if _submit(base, reverse("mfa_authenticate"), jar, {"code": code}).status == 302:
            return
        time.sleep(31 - time.time() % 30)  # the code of this period was taken: the next one
    raise BenchError(f"the second step of the login of {email} failed")


def check_page(base: str, path: str, cookie: str) -> int:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    response = _open(request)
    response.read()
    return response.status


def wrk(url: str, *, connections: int, seconds: int, cookie: str) -> dict:
    if not url.startswith("http://127.0.0.1:"):
        raise BenchError("the load generator only targets this machine's loopback")
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA)]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run([*args, url], capture_output=True, text=True, timeout=seconds + 60, check=False)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        raise BenchError(f"wrk gave no figures for {url}:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
        "p50_ms": raw["p50"] / 1000,
        "p95_ms": raw["p95"] / 1000,
        "p99_ms": raw["p99"] / 1000,
        "max_ms": raw["max"] / 1000,
        "not_200": raw["not_200"],
        "errors": raw["errors"] + raw["timeouts"],
    }


def drive(page_list: list[Page], *, seconds: int, workers: int, write, after=None) -> list[float]:
    """Drive every page with wrk; return each worker's RSS (MiB) after the run.
    `after(base, cookie)`, when given, runs on the same server once the pages
    are done, with the coordinator's cookie."""
    personas = {"coordinator": seed.coordinator_email(seed.LARGE), "referent": seed.referent_email(seed.LARGE)}
    with Server(workers) as server:
        cookies = {role: login(server.base, email, seed.PASSWORD) for role, email in personas.items()}
        cookies["coordinator_next"] = cookies["coordinator"]
        cookies[""] = ""
        for page in page_list:
            path = page.urls["large"]
            status = check_page(server.base, path, cookies[page.persona])
            if status != 200:
                raise BenchError(f"{page.key} answered {status} under gunicorn at {path}")
            wrk(server.base + path, connections=2, seconds=1, cookie=cookies[page.persona])  # warm both workers
            for c in CONCURRENCY:
                page.load[c] = wrk(server.base + path, connections=c, seconds=seconds, cookie=cookies[page.persona])
                f = page.load[c]
                write(
                    f"  {page.key:15} c={c}: {f['rps']:7.1f} req/s  p50 {f['p50_ms']:6.1f}  p95 {f['p95_ms']:6.1f}"
                    f"  p99 {f['p99_ms']:6.1f} ms"
                )
        if after:
            after(server.base, cookies["coordinator"])
        return server.worker_rss_mib()


# --- Background work ----------------------------------------------------------


class _Rollback(Exception):
    pass


class _Counter:
    """Counts the queries (CaptureQueriesContext keeps only the last 9 000)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def _rolled_back(fn):
    """Run `fn` in a transaction that is rolled back; return (result, seconds, queries)."""
    result, seconds, counter = None, 0.0, _Counter()
    try:
        with transaction.atomic(), connection.execute_wrapper(counter):
            started = time.perf_counter()
            result = fn()
            seconds = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return result, seconds, counter.n


def time_scan() -> dict:
    """The scan as beat runs it every minute: the rows due now were made by
    the scan of the minute before (the first scan, which makes them, is timed
    apart as the catch-up)."""

    def run():
        started = time.perf_counter()
        rows = notifications_scan()
        catch_up = time.perf_counter() - started
        minutes = []
        for _ in range(3):
            counter = _Counter()
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                notifications_scan()
                minutes.append((time.perf_counter() - started, counter.n))
        return rows, catch_up, minutes

    (rows, catch_up, minutes), _seconds, _queries = _rolled_back(run)
    return {
        "seconds": round(statistics.median(m[0] for m in minutes), 3),
        "rows_considered": rows,
        "queries": minutes[0][1],
        "catch_up_seconds": round(catch_up, 3),
        "budget_s": SCAN_BUDGET_S,
    }


def time_digest() -> dict:
    people = list(User.objects.filter(email__endswith="@" + seed.DOMAIN).order_by("pk"))
    if not people:
        raise BenchError("no people of the large network")
    now = timezone.now()

    def run():
        sent = 0
        for start in range(0, DIGEST_PEOPLE, DIGEST_BATCH):
            batch = [people[n % len(people)] for n in range(start, min(start + DIGEST_BATCH, DIGEST_PEOPLE))]
            with digest_batch(users=batch, now=now):
                for person in batch:
                    row = Notification(
                        recipient=person,
                        kind=DigestKind.DIGEST,
                        object_type="accounts.user",
                        object_id=str(person.pk),
                        period="bench",
                        created_at=now,
                    )
                    if notification_render(row) is not None:
                        sent += 1
        return sent

    sent, seconds, queries = _rolled_back(run)
    return {
        "people": DIGEST_PEOPLE,
        "distinct_people": min(len(people), DIGEST_PEOPLE),
        "digests_with_content": sent,
        "seconds": round(seconds, 2),
        "ms_per_digest": round(seconds * 1000 / DIGEST_PEOPLE, 1),
        "queries_per_digest": round(queries / DIGEST_PEOPLE, 1),
        "queries_per_batch": round(queries / -(-DIGEST_PEOPLE // DIGEST_BATCH), 1),
        "batch": DIGEST_BATCH,
        "budget_s": DIGEST_BUDGET_S,
    }


def time_generation() -> dict:
    """A new weekly series over five years: creating it and generating its sessions."""
    coordinator = User.objects.get(email=seed.coordinator_email(seed.LARGE))
    today = timezone.localdate()

    def run():
        series = series_create(
            actor=coordinator,
            name="Série de mesure (annulée)",
            pilot_start=today,
            pilot_end=today + datetime.timedelta(days=5 * 365),
            default_duration=60,
            operators=list(Operator.objects.filter(slug__startswith="bench-")[:15]),
        )
        started = time.perf_counter()
        report = series_set_recurrence(
            actor=User.objects.get(pk=coordinator.pk),
            series=series,
            recurrence=Series.Recurrence.WEEKLY,
            weekday=2,
            start_time=datetime.time(10, 0),
            duration=60,
        )
        return len(report.created), time.perf_counter() - started

    (created, seconds), _total, queries = _rolled_back(run)
    return {"sessions": created, "seconds": round(seconds, 2), "queries": queries}


# A clinical vignette as seed 002 describes them, with what the guard must
# find (a name, a phone number, a street) and what it must let through.
GUARD_VIGNETTE = (
    "Mme X., la quarantaine, vit seule avec ses 3 enfants dans un logement social à Namur depuis 2019. "
    "Le CPAS assure la guidance budgétaire ; l’équipe mobile intervient à domicile deux fois par semaine. "
    "Depuis Noël, la situation s’est dégradée : absences scolaires, consommations rapportées par l’entourage. "
    "Le SSM propose un suivi individuel, mais la liste d’attente est de 3 mois. Jean Dupont, un voisin, "
    "a appelé le 0475 12 34 56 ; la famille habite rue Haute 12. Une concertation de réseau a réuni "
    "6 intervenants en octobre 2023, sans suite claire. Question au groupe : comment maintenir le lien ? "
)


def time_guard(*, runs: int = GUARD_RUNS) -> dict:
    """One check of a 3 000-character vignette, as a web worker does it once
    the model is loaded: the first check (loading the model) timed apart."""
    text = (GUARD_VIGNETTE * (3000 // len(GUARD_VIGNETTE) + 1))[:3000]
    started = time.perf_counter()
    guard_check(text)
    first = time.perf_counter() - started
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        guard_check(text)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "chars": len(text),
        "runs": runs,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))], 1),
        "first_check_s": round(first, 2),
        "budget_ms": GUARD_BUDGET_MS,
    }


def time_exports() -> dict | None:
    """The evaluation exports (PDF, DOCX, XLSX) of the demo pilot and of the two-year series."""
    targets = {"demo pilot": demo.NAMUR_SERIES, "two-year series, 54 operators": seed.EXPORT_SERIES}
    found = {}
    # A Celery worker builds exports in a long-lived process: matplotlib,
    # fonts and templates are loaded once, not per export. Warm them up so
    # that the figures are those of a running worker.
    warm = Series.objects.filter(name=demo.NAMUR_SERIES).first()
    if warm is not None:
        with contextlib.suppress(Exception):  # a failing export is reported below, for each format
            _export("pdf", warm, None)
    for label, name in targets.items():
        series = Series.objects.filter(name=name).first()
        if series is None:
            continue
        evaluation = Evaluation.objects.filter(series=series).order_by("-version").first()
        for fmt in ("pdf", "docx", "xlsx"):
            try:
                started = time.perf_counter()
                data = _export(fmt, series, evaluation)
                found[f"{label} · {fmt}"] = {
                    "seconds": round(time.perf_counter() - started, 2),
                    "bytes": len(data) if data else 0,
                }
            except Exception as exc:  # noqa: BLE001 - one failing export is a line of the report, not the end of the run
                found[f"{label} · {fmt}"] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
    return found or None


def _export(fmt: str, series, evaluation) -> bytes:
    return exporter_for(fmt)(export_document(series, evaluation)).render()


# --- Report -------------------------------------------------------------------


def _machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    memory = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        database = cursor.fetchone()[0].split(" on ")[0]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False).stdout.split("\n")[0]  # noqa: S607
    return {
        "hostname": platform.node(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "database": database,
        "load_generator": wrk_version.split(" [")[0],
        "load_average_at_start": os.getloadavg()[0],
    }


def _dataset() -> dict:
    return {
        "version": seed.stored_version(),
        "operators": Operator.objects.count(),
        "people": User.objects.count(),
        "series": Series.objects.count(),
        "sessions": Session.objects.count(),
        "info_round_entries": InfoRoundEntry.objects.count(),
        "info_round_answers": InfoRoundAnswer.objects.count(),
        "decisions": Decision.objects.count(),
        "actions": Action.objects.count(),
        "needs": CooperationNeed.objects.count(),
    }


def budgets(page_list: list[Page], timings: dict, rss: list[float] = ()) -> dict:
    floor = next(p for p in page_list if p.key == "floor")
    misses = []
    ratios = {}
    for page in page_list:
        if page.queries.get("demo") != page.queries.get("large"):
            misses.append(
                f"{page.key}: {page.queries.get('demo')} queries on the demo data, "
                f"{page.queries.get('large')} on the large network"
            )
        top = page.load.get(max(CONCURRENCY))
        if not top:
            continue
        if top["p95_ms"] > P95_BUDGET_MS:
            misses.append(f"{page.key}: p95 {top['p95_ms']:.0f} ms at {max(CONCURRENCY)} connections")
        if top["not_200"] or top["errors"]:
            misses.append(f"{page.key}: {top['not_200']} answers not 200, {top['errors']} errors")
        if page.key != "floor" and floor.load.get(max(CONCURRENCY)):
            ratios[page.key] = round(top["p50_ms"] / max(floor.load[max(CONCURRENCY)]["p50_ms"], 0.001), 2)
    median_ratio = round(statistics.median(ratios.values()), 2) if ratios else None
    if median_ratio is not None and median_ratio > FLOOR_RATIO_BUDGET:
        misses.append(f"median page {median_ratio:.1f}× the floor (budget {FLOOR_RATIO_BUDGET}×)")
    worst = max(ratios.items(), key=lambda kv: kv[1], default=None)
    if worst and worst[1] > WORST_RATIO_BUDGET:
        misses.append(f"worst page {worst[0]}: {worst[1]:.1f}× the floor (budget {WORST_RATIO_BUDGET}×)")
    if rss and max(rss) > RSS_BUDGET_MIB:
        misses.append(f"a gunicorn worker's RSS: {max(rss)} MiB (budget {RSS_BUDGET_MIB} MiB)")
    digest = timings.get("digest") or {}
    if digest.get("seconds", 0) > DIGEST_BUDGET_S:
        misses.append(f"digest of {DIGEST_PEOPLE} people: {digest['seconds']} s (budget {DIGEST_BUDGET_S} s)")
    scan = timings.get("scan") or {}
    if scan.get("seconds", 0) > SCAN_BUDGET_S:
        misses.append(f"notification scan: {scan['seconds']} s (budget {SCAN_BUDGET_S} s)")
    guard = timings.get("guard") or {}
    if guard.get("p95_ms", 0) > GUARD_BUDGET_MS:
        misses.append(f"anonymisation guard: p95 {guard['p95_ms']} ms (budget {GUARD_BUDGET_MS} ms)")
    fluid = timings.get("map_fluidity") or {}
    if fluid.get("error"):
        misses.append(f"the map in Chromium: {fluid['error']}")
    elif fluid:
        if fluid["draw_ms"] > MAP_DRAW_BUDGET_MS:
            misses.append(f"map of {fluid['operators']} operators drawn in {fluid['draw_ms']} ms")
        if fluid["frame_p95_ms"] > MAP_FRAME_BUDGET_MS:
            misses.append(f"map of {fluid['operators']} operators: frames p95 {fluid['frame_p95_ms']} ms")
    return {"ratios_to_floor_p50": ratios, "median_ratio": median_ratio, "misses": misses}


def table(result: dict) -> str:
    lines = []
    head = (
        f"{'page':24} {'queries':>9} │ {'1 conn: req/s':>13} {'p50':>6} {'p95':>6} {'p99':>6} │"
        f" {'8 conn: req/s':>13} {'p50':>6} {'p95':>6} {'p99':>6} │ {'×floor':>6}"
    )
    lines += [head, "─" * len(head)]
    ratios = result["budgets"]["ratios_to_floor_p50"]
    for page in result["pages"]:
        q = page["queries"]
        queries = f"{q.get('demo', '-')}/{q.get('large', '-')}"
        cells = []
        for c in CONCURRENCY:
            f = page["load"].get(str(c)) or {}
            cells.append(
                f"{f.get('rps', 0):13.1f} {f.get('p50_ms', 0):6.1f} {f.get('p95_ms', 0):6.1f} {f.get('p99_ms', 0):6.1f}"
            )
        ratio = "1.00" if page["key"] == "floor" else f"{ratios.get(page['key'], 0):.2f}"
        lines.append(f"{page['label'][:24]:24} {queries:>9} │ {cells[0]} │ {cells[1]} │ {ratio:>6}")
    lines.append("queries: demo data / large network, per request (session and user included); times in ms")
    t = result["timings"]
    lines.append("")
    scan, digest, gen = t["scan"], t["digest"], t["generation"]
    lines.append(
        f"notification scan, every minute: {scan['seconds']} s ({scan['rows_considered']} rows, {scan['queries']}"
        f" queries; the first scan, making them: {scan['catch_up_seconds']} s)"
    )
    lines.append(
        f"weekly digest: {digest['people']} digests ({digest['distinct_people']} distinct people) in"
        f" {digest['seconds']} s, {digest['ms_per_digest']} ms each, {digest['queries_per_batch']} queries per batch"
        f" of {digest['batch']}"
    )
    lines.append(f"five years of sessions: {gen['sessions']} sessions generated in {gen['seconds']} s")
    if guard := t.get("guard"):
        lines.append(
            f"anonymisation guard, {guard['chars']} characters: median {guard['median_ms']} ms, p95"
            f" {guard['p95_ms']} ms over {guard['runs']} checks (the first, loading the model:"
            f" {guard['first_check_s']} s)"
        )
    if (fluid := t.get("map_fluidity")) and "error" not in fluid:
        lines.append(
            f"map of {fluid['operators']} operators and {fluid['links']} links in Chromium: drawn in"
            f" {fluid['draw_ms']} ms; while zooming and dragging, {fluid['frames']} frames, interval p50"
            f" {fluid['frame_p50_ms']} ms, p95 {fluid['frame_p95_ms']} ms"
        )
    if result.get("worker_rss_mib"):
        lines.append(f"gunicorn workers' RSS after the run: {', '.join(map(str, result['worker_rss_mib']))} MiB")
    for label, figures in (t.get("exports") or {}).items():
        lines.append(f"export {label}: " + (f"{figures['seconds']} s" if "seconds" in figures else figures["error"]))
    b = result["budgets"]
    lines.append("")
    lines.append(f"median page: {b['median_ratio']}× the floor at {max(CONCURRENCY)} connections (p50)")
    lines.append("budgets: " + ("all held" if not b["misses"] else "MISSED"))
    lines += [f"  - {m}" for m in b["misses"]]
    return "\n".join(lines)


# The pages whose cost must not grow with the years of history (issue 12).
HISTORY_PAGES = ("home", "session", "actions", "decisions", "needs")
HISTORY_RATIO_BUDGET = 1.2


def run_history(*, seconds: int = 5, workers: int | None = None, write=print) -> dict:
    """The pages of HISTORY_PAGES on the twenty-year dataset (seed.HISTORY, this
    process's database), at 8 connections, as ratios of their p50 to the
    five-year figures of the last run (var/bench/results.json, updated)."""
    if seed.stored_version() != seed.dataset_version(seed.HISTORY):
        raise BenchError("no twenty-year dataset here: run manage.py seed_bench --history first")
    results = OUT / "results.json"
    if not results.exists():
        raise BenchError("no five-year figures to compare with: run manage.py bench first")
    result = json.loads(results.read_text())
    five_years = {p["key"]: p["load"].get(str(max(CONCURRENCY)), {}) for p in result["pages"]}
    cache.clear()
    page_list = [p for p in pages(datasets=("large",)) if p.key in HISTORY_PAGES]
    count_queries(page_list, datasets=("large",))
    write(f"Twenty years of history: gunicorn with {workers or os.cpu_count()} workers, {seconds} s per page…")
    drive(page_list, seconds=seconds, workers=workers or os.cpu_count() or 1, write=write)
    found = {}
    for page in page_list:
        top, before = page.load[max(CONCURRENCY)], five_years.get(page.key) or {}
        ratio = round(top["p50_ms"] / before["p50_ms"], 2) if before.get("p50_ms") else None
        found[page.key] = {"queries": page.queries["large"], "p50_ms": top["p50_ms"], "p95_ms": top["p95_ms"]}
        found[page.key] |= {"five_years_p50_ms": before.get("p50_ms"), "ratio": ratio}
    misses = [
        f"{k}: {v['ratio']}× the five-year p50" for k, v in found.items() if (v["ratio"] or 0) > HISTORY_RATIO_BUDGET
    ]
    result["history"] = {"dataset": _dataset(), "pages": found, "budget": HISTORY_RATIO_BUDGET, "misses": misses}
    results.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return result["history"]


def history_table(history: dict) -> str:
    lines = [f"{'page':24} {'queries':>7} │ {'p50, 5 years':>12} {'p50, 20 years':>13} {'p95':>6} │ {'ratio':>5}"]
    lines.append("─" * len(lines[0]))
    for key, f in history["pages"].items():
        lines.append(
            f"{key:24} {f['queries']:>7} │ {f['five_years_p50_ms'] or 0:12.1f} {f['p50_ms']:13.1f} {f['p95_ms']:6.1f} │"
            f" {f['ratio'] or 0:5.2f}"
        )
    d = history["dataset"]
    lines.append(f"twenty years: {d['sessions']} sessions, {d['actions']} actions, {d['needs']} needs")
    budget = history["budget"]
    lines.append(
        f"budget {budget}×: " + ("held" if not history["misses"] else "MISSED: " + "; ".join(history["misses"]))
    )
    return "\n".join(lines)


def run(*, seconds: int = 5, workers: int | None = None, write=print) -> dict:
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed (make bench installs it)")
    if not seed.stored_version():
        raise BenchError("no benchmark dataset: run manage.py seed_bench first")
    OUT.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    # The seed writes in bulk, without the signals that drop cached fragments:
    # start from an empty cache (the benchmark's own Redis database).
    cache.clear()
    started = timezone.now()
    machine = _machine()
    write("Pages and their query counts…")
    page_list = pages()
    count_queries(page_list)
    write(f"Load: gunicorn with {workers} workers on 127.0.0.1, {seconds} s per page and concurrency…")
    fluidity = {}

    def map_in_browser(base, cookie):
        write(f"The map with {browser.MAP_OPERATORS} operators in Chromium…")
        try:
            fluidity.update(browser.map_fluidity(base, cookie))
        except Exception as exc:  # noqa: BLE001 - a missing browser is reported, the rest is measured
            fluidity["error"] = f"{type(exc).__name__}: {exc}"[:300]

    rss = drive(page_list, seconds=seconds, workers=workers, write=write, after=map_in_browser)
    write("Background work…")
    timings = {"scan": time_scan(), "digest": time_digest(), "generation": time_generation()}
    timings["map_fluidity"] = fluidity
    timings["exports"] = time_exports()
    timings["guard"] = time_guard()
    result = {
        "date": started.isoformat(timespec="seconds"),
        "machine": machine | {"gunicorn_workers": workers},
        "dataset": _dataset(),
        "seconds_per_run": seconds,
        "pages": [
            {
                "key": p.key,
                "label": p.label,
                "persona": p.persona,
                "url": p.urls.get("large"),
                "queries": p.queries,
                "load": {str(c): f for c, f in p.load.items()},
            }
            for p in page_list
        ],
        "timings": timings,
        "worker_rss_mib": rss,
    }
    result["budgets"] = budgets(page_list, timings, rss)
    (OUT / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return result
