"""Checks of the services Carrefour depends on, for /healthz.

Each check gives up after about CHECK_TIMEOUT seconds, so that /healthz
answers fast when a service is down or silent: a load balancer probing it
must not wait longer than its own timeout. (The database's connect timeout
is DATABASE_CONNECT_TIMEOUT in the settings.)
"""

from django.db import connection

from config.celery_app import app as celery_app

CHECK_TIMEOUT = 1.0  # seconds


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def broker_ok() -> bool:
    # One attempt, no retry: a refused connection answers at once, a silent
    # broker after the socket timeouts.
    options = {"socket_connect_timeout": CHECK_TIMEOUT, "socket_timeout": CHECK_TIMEOUT}
    try:
        with celery_app.connection_for_write(transport_options=options) as conn:
            conn.ensure_connection(max_retries=0, timeout=CHECK_TIMEOUT)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
