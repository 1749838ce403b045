"""Celery beat through a database outage (config/beat.py).

The database is the boundary here: every query raises OperationalError as
PostgreSQL does while it restarts. The broker is replaced by a list of the
entries beat would send.
"""

import datetime
import logging

import pytest
from django.db import OperationalError, connection
from django_celery_beat.models import PeriodicTask

from config.beat import DatabaseScheduler
from config.celery_app import app


def _refused(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


# Beat runs in autocommit, and closes connections it finds broken: inside a test's
# transaction that close would end the test's connection (PostgreSQL).
@pytest.fixture
def scheduler(transactional_db):
    scheduler = DatabaseScheduler(app=app)
    scheduler.sent = []
    scheduler.__dict__["producer"] = None  # no broker connection
    scheduler.apply_entry = lambda entry, producer=None: scheduler.sent.append(entry.name)
    return scheduler


def _force_full_read(scheduler):
    # django-celery-beat reads the whole schedule again every five minutes:
    # the read that let the OperationalError out and stopped beat.
    scheduler._last_full_sync = datetime.datetime.now() - datetime.timedelta(minutes=6)


def test_beat_keeps_ticking_while_the_database_is_down_and_recovers(scheduler, monkeypatch, caplog):
    scheduler.tick()
    _force_full_read(scheduler)
    caplog.set_level(logging.INFO, logger="carrefour.beat")

    with monkeypatch.context() as outage:
        outage.setattr(connection, "cursor", _refused)
        delays = [scheduler.tick() for _ in range(5)]
        _force_full_read(scheduler)
        delays.append(scheduler.tick())
        scheduler.sync()  # beat's periodic write of the entries: skipped, not raised

    assert all(0 <= delay <= scheduler.max_interval for delay in delays)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "OperationalError" in warnings[0].getMessage()
    assert scheduler.schedule, "the last schedule read is kept"

    # Back: the schedule is read from the database again and what is due is sent.
    PeriodicTask.objects.filter(name="notifications-scan").update(
        last_run_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    _force_full_read(scheduler)
    for _ in range(5):
        scheduler.tick()
    assert "notifications-scan" in scheduler.sent
    assert [r.getMessage() for r in caplog.records][-1] == "beat: the database is back"
    assert not scheduler.database_down


def test_beat_that_starts_without_a_database_still_stops(transactional_db, monkeypatch):
    # Nothing to keep yet: the service manager starts it again.
    monkeypatch.setattr(connection, "cursor", _refused)
    with pytest.raises(OperationalError):
        DatabaseScheduler(app=app)
    monkeypatch.undo()
