"""Notifications through the real parts: a Celery worker and beat as
subprocesses, the real Redis as broker, the real PostgreSQL, and an SMTP
server on loopback (aiosmtpd) that can be slow, refuse for a while, or
refuse for good; beat's database connection can be cut through a relay.

These tests need PostgreSQL and Redis (the worker reads the test database):
without them they are skipped, unless CARREFOUR_REQUIRE_SERVICES is set, as
in CI, where a missing service fails them.
"""

import asyncio
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import suppress
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from meetings.models import Action, Participation
from meetings.notifications import MeetingKind
from notifications.digest import DigestKind
from notifications.models import Notification
from operators.models import MembershipRole

from ..factories import MembershipFactory, OperatorFactory, SeriesFactory, SessionFactory, UserFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER = REDIS_URL.rsplit("/", 1)[0] + "/14" if REDIS_URL else ""
BIN = Path(sys.executable).parent
ROOT = Path(settings.BASE_DIR)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _services_available() -> str:
    if connection.vendor != "postgresql":
        return "the worker needs the PostgreSQL test database (DATABASE_URL)"
    if not REDIS_URL:
        return "REDIS_URL is not set"
    return ""


@pytest.fixture(autouse=True)
def _need_services():
    reason = _services_available()
    if reason:
        if os.environ.get("CARREFOUR_REQUIRE_SERVICES"):
            pytest.fail(f"Required service missing: {reason}")
        pytest.skip(reason)
    import redis

    redis.Redis.from_url(BROKER).flushdb()


class Mailbox:
    """What the SMTP server was asked, and what it answers each recipient."""

    def __init__(self):
        self.delivered: list = []  # parsed messages, one per accepted DATA
        self.rcpt_attempts: Counter = Counter()
        self.scripts: dict[str, list[str]] = {}  # recipient → answers to give first
        self.delay = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.rcpt_attempts[address] += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        script = self.scripts.get(address)
        if script:
            answer = script[0] if len(script) == 1 else script.pop(0)
            if not answer.startswith("250"):
                return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.delivered.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str, kind_subject: str = "") -> list:
        return [m for m in self.delivered if m["To"] == address and kind_subject in str(m["Subject"])]


@pytest.fixture
def smtp():
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    mailbox.port = port
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox
    controller.stop()


class Processes:
    def __init__(self, smtp_port: int, tmp_path: Path):
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "1",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": BROKER,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": "10",
            "NOTIFICATIONS_SCAN_SECONDS": "1",
            "NOTIFICATION_RETRY_SECONDS": "1",
            "NOTIFICATION_STALE_SECONDS": "3",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CONN_MAX_AGE": "0",
            "LOG_LEVEL": "WARNING",
        }
        self.tmp = tmp_path
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str, command: list[str] | None = None, **env: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            command or [str(BIN / "celery"), "-A", "config", *args],
            cwd=ROOT,
            env=self.env | env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def worker(self, name: str = "worker") -> subprocess.Popen:
        # solo pool: the task runs in the process we kill in the crash test.
        return self.start(
            name,
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{name}-{os.getpid()}@localhost",
            "--loglevel=WARNING",
        )

    def beat(self) -> subprocess.Popen:
        return self.start(
            "beat", "beat", "--scheduler", "celery.beat:PersistentScheduler", "-s", str(self.tmp / "beat-schedule")
        )

    def database_beat(self, database_url: str) -> subprocess.Popen:
        """Beat on the database scheduler of the settings, as deploy/systemd runs it,
        reading the whole schedule again every 2 s instead of every 5 min, so
        that a full read falls inside a short outage."""
        code = (
            "import sys, django; django.setup(); "
            "from django_celery_beat import schedulers; schedulers.SCHEDULE_SYNC_MAX_INTERVAL = 2; "
            "from celery.__main__ import main; sys.exit(main())"
        )
        command = [sys.executable, "-c", code, "-A", "config", "beat", "--loglevel=WARNING"]
        return self.start("beat", command=command, DATABASE_URL=database_url)

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.procs):
            proc = self.procs.pop(name)
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with suppress(ProcessLookupError):  # it may have stopped on its own (a failed test)
                    os.killpg(proc.pid, signal.SIGKILL)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.tmp.glob("*.log"))


@pytest.fixture
def celery(smtp, tmp_path):
    processes = Processes(smtp.port, tmp_path)
    yield processes
    processes.stop_all()


class DatabaseRelay:
    """A TCP relay in front of PostgreSQL that a test cuts as a restart of the
    server does: open connections drop and new ones are refused."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self.restore()

    def restore(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            dropped, self._open = [self._listener, *self._open], []
        for sock in dropped:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() too
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
                upstream = socket.create_connection(self.target)
            except OSError:
                return
            with self._lock:
                self._open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def _wait(condition, *, timeout: float, what: str, processes: Processes | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{processes.logs() if processes else ''}")


def _enqueue(task: str, *args) -> None:
    from celery import Celery

    client = Celery(broker=BROKER)
    client.send_task(task, args=list(args))
    client.close()


def _pilot(*, members: int = 1):
    """A series open round the clock, whose reminder goes a week ahead: the
    reminder of a session 20 hours away is due now whatever the hour and the
    day the suite runs (a weekend, a holiday or the night move it otherwise)."""
    operator = OperatorFactory()
    people = [MembershipFactory(operator=operator, role=MembershipRole.MEMBER).user for _ in range(members)]
    series = SeriesFactory(
        office_hours_start=datetime.time(0, 0), office_hours_end=datetime.time(23, 59, 59), reminder_hours=168
    )
    series.coordinators.add(UserFactory(coordinator=True))
    Participation.objects.create(series=series, operator=operator, since=datetime.date(2026, 1, 1))
    return series, operator, people


def _past_session(series):
    from django.utils import timezone

    return SessionFactory(series=series, starts_at=timezone.now() - datetime.timedelta(days=7))


def _row(user, kind=DigestKind.DIGEST, **fields) -> Notification:
    return Notification.objects.create(
        recipient=user, kind=kind, object_type="accounts.user", object_id=str(user.pk), period="test", **fields
    )


def test_a_due_reminder_arrives_once_by_smtp(smtp, celery):
    from django.utils import timezone

    series, operator, (member,) = _pilot()
    SessionFactory(series=series, starts_at=timezone.now() + datetime.timedelta(hours=20))
    celery.worker()
    celery.beat()
    _wait(lambda: smtp.to(member.email, "Rappel"), timeout=60, what="the reminder", processes=celery)
    time.sleep(4)  # several more scans: nothing more may come
    assert len(smtp.to(member.email, "Rappel :")) == 1
    subjects = Counter((m["To"], str(m["Subject"])) for m in smtp.delivered)
    assert subjects and max(subjects.values()) == 1, subjects
    row = Notification.objects.get(recipient=member, kind=MeetingKind.SESSION_REMINDER)
    assert row.state == Notification.State.SENT and row.attempts == 1


def test_the_same_task_enqueued_twice_sends_once(smtp, celery):
    series, operator, (member,) = _pilot()
    Action.objects.create(
        series=series, session=_past_session(series), description="Relire la charte", owner_operator=operator
    )
    row = _row(member)
    _enqueue("notifications.tasks.notification_send_task", row.pk)
    _enqueue("notifications.tasks.notification_send_task", row.pk)
    celery.worker()
    _wait(lambda: smtp.delivered, timeout=60, what="the digest", processes=celery)
    time.sleep(2)
    assert len(smtp.to(member.email)) == 1
    row.refresh_from_db()
    assert row.state == Notification.State.SENT


def test_a_worker_killed_mid_digest_run_ends_with_each_digest_once(smtp, celery):
    series, operator, people = _pilot(members=12)
    Action.objects.create(
        series=series, session=_past_session(series), description="Relire la charte", owner_operator=operator
    )
    rows = [_row(person) for person in people]
    smtp.delay = 0.4
    celery.worker("first")
    celery.beat()
    _wait(lambda: len(smtp.delivered) >= 3, timeout=60, what="the first digests", processes=celery)
    celery.kill("first")  # SIGKILL, in the middle of the run
    delivered_before = len(smtp.delivered)
    assert delivered_before < len(people)
    celery.worker("second")
    _wait(
        lambda: (
            Notification.objects.filter(pk__in=[r.pk for r in rows], state=Notification.State.SENT).count() == len(rows)
        ),
        timeout=120,
        what="every digest",
        processes=celery,
    )
    time.sleep(2)
    per_person = Counter(m["To"] for m in smtp.delivered)
    assert per_person == {person.email: 1 for person in people}


def test_a_451_then_250_ends_in_one_delivery(smtp, celery):
    series, operator, (member,) = _pilot()
    Action.objects.create(
        series=series, session=_past_session(series), description="Relire la charte", owner_operator=operator
    )
    smtp.scripts[member.email] = ["451 4.7.1 Greylisted, try again later", "250 OK"]
    row = _row(member)
    celery.worker()
    celery.beat()
    _wait(lambda: smtp.delivered, timeout=60, what="the retried digest", processes=celery)
    time.sleep(3)
    assert len(smtp.to(member.email)) == 1
    row.refresh_from_db()
    assert row.state == Notification.State.SENT and row.attempts == 2
    assert smtp.rcpt_attempts[member.email] == 2


def test_a_550_ends_as_a_visible_failure_not_a_loop(smtp, celery):
    series, operator, (member,) = _pilot()
    Action.objects.create(
        series=series, session=_past_session(series), description="Relire la charte", owner_operator=operator
    )
    smtp.scripts[member.email] = ["550 5.1.1 No such user here"]
    row = _row(member)
    celery.worker()
    celery.beat()
    _wait(
        lambda: Notification.objects.get(pk=row.pk).state == Notification.State.FAILED,
        timeout=60,
        what="the failure",
        processes=celery,
    )
    time.sleep(4)  # more scans: no new attempt
    row.refresh_from_db()
    assert row.state == Notification.State.FAILED and row.attempts == 1 and "550" in row.last_error
    assert smtp.rcpt_attempts[member.email] == 1
    assert not smtp.delivered


def test_beat_lives_through_a_database_outage(smtp, celery):
    from django.utils import timezone

    db = connection.settings_dict
    relay = DatabaseRelay(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    series, operator, (before,) = _pilot()
    SessionFactory(series=series, starts_at=timezone.now() + datetime.timedelta(hours=20))
    celery.worker()
    beat = celery.database_beat(f"postgres://{db['USER']}@127.0.0.1:{relay.port}/{db['NAME']}")
    _wait(lambda: smtp.to(before.email, "Rappel"), timeout=60, what="the first reminder", processes=celery)

    relay.cut()
    time.sleep(10)  # several ticks (every 5 s at most) and full reads of the schedule (every 2 s here)
    assert beat.poll() is None, f"beat stopped during the outage\n{celery.logs()}"
    relay.restore()

    series, operator, (after,) = _pilot()
    SessionFactory(series=series, starts_at=timezone.now() + datetime.timedelta(hours=20))
    _wait(lambda: smtp.to(after.email, "Rappel"), timeout=60, what="a reminder after the outage", processes=celery)
    time.sleep(3)  # beat reads its schedule again, through the relay
    assert beat.poll() is None
    log = (celery.tmp / "beat.log").read_text()
    assert log.count("the database is unavailable") == 1, log
