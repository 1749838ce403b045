"""Gunicorn configuration of a Carrefour web machine (deploy/systemd/carrefour-web.service).

Every value can be set from the environment, so that one file serves the
systemd unit, the benchmark (`make bench`) and the topology test:

- GUNICORN_BIND: where to listen (default 127.0.0.1:8000; nginx proxies to it);
- WEB_CONCURRENCY: worker processes (default: one per core);
- GUNICORN_TIMEOUT: seconds before a stuck worker is killed and replaced (30);
- GUNICORN_MAX_REQUESTS: a worker is replaced after this many requests, which
  bounds slow leaks (2000, with jitter; 0 turns it off);
- GUNICORN_ACCESS_LOG: "-" for stdout (journald), a path, or empty for none.

The access log never holds a capability token (a calendar feed's, an
unsubscribe link's, an invitation's): RedactingLogger replaces it with
<redacted> (core.logs).

Web processes hold no state: sessions are in PostgreSQL, the cache in Redis,
uploads under MEDIA_ROOT on shared storage. Any number of web machines can
run this file behind a load balancer.
"""

import multiprocessing
import os
import sys

from gunicorn.glogging import Logger

# gunicorn reads this file before it changes into `chdir`: make the project importable.
chdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if chdir not in sys.path:
    sys.path.insert(0, chdir)

from core.logs import redact_tokens  # noqa: E402 - needs the path above


class RedactingLogger(Logger):
    """gunicorn's logger, whose access log shows capability URLs without their token."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # Every atom: the request line, the path, the referrer, headers, environ.
        return {key: redact_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or multiprocessing.cpu_count()
# Sync workers: the views are short and database-bound; nginx buffers slow clients.
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 2
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
wsgi_app = "config.wsgi:application"
# Behind nginx on the same machine only: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
logger_class = RedactingLogger
proc_name = "carrefour-web"
# /dev/shm keeps the workers' heartbeat files off a slow or full disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - heartbeat files only
