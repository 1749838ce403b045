"""Celery beat's scheduler: django-celery-beat's, made to live through a database outage.

django-celery-beat reads its schedule from the database on every tick and
again, in full, every five minutes. The full read lets an OperationalError
out of `tick()`, and beat exits: a PostgreSQL restart during those five
minutes stopped every periodic job until someone restarted beat. This
scheduler keeps ticking on the schedule it last read, logs one warning when
the database goes away and one line when it is back, closes the broken
connection and tries again on the next tick (every few seconds).

A beat that starts while the database is down still exits (it has no
schedule to keep); the service manager starts it again.
"""

import logging
from contextlib import suppress

from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django_celery_beat import schedulers

logger = logging.getLogger("carrefour.beat")

# What a lost or refused connection raises; other database errors (a missing
# table, a bug) are not an outage and stop beat as before.
OUTAGE = (OperationalError, InterfaceError)


class DatabaseScheduler(schedulers.DatabaseScheduler):
    database_down = False

    def _database_lost(self, exc: Exception) -> None:
        if not self.database_down:
            logger.warning(
                "beat: the database is unavailable (%s); keeping the last schedule and retrying every %s s",
                type(exc).__name__,
                self.max_interval,
            )
        self.database_down = True
        with suppress(*OUTAGE):  # a broken connection may fail to close; Django drops it all the same
            connection.close()

    def _database_back(self) -> None:
        if self.database_down:
            logger.info("beat: the database is back")
        self.database_down = False

    def tick(self, *args, **kwargs):
        try:
            return super().tick(*args, **kwargs)
        except OUTAGE as exc:
            self._database_lost(exc)
            return self.max_interval

    def schedule_changed(self) -> bool:
        # The parent logs a traceback on every tick while the database is down.
        # (Its transaction.commit() is for MySQL's repeatable reads; PostgreSQL
        # and SQLite read what was committed.)
        try:
            close_old_connections()
            last_change = self.Changes.last_change()
        except OUTAGE as exc:
            self._database_lost(exc)
            return False
        self._database_back()
        changed = bool(last_change and last_change > (self._last_timestamp or last_change))
        self._last_timestamp = last_change
        return changed

    def all_as_schedule(self):
        try:
            schedule = super().all_as_schedule()
        except OUTAGE as exc:
            if self._schedule is None:
                raise  # starting: there is no schedule to keep
            self._database_lost(exc)
            return self._schedule
        self._database_back()
        return schedule

    def sync(self):
        # While the database is down the entries stay dirty and are written once it is back.
        if not self.database_down:
            super().sync()
