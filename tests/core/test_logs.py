"""Capability tokens (calendar feeds, unsubscribe links, invitations) never reach a log."""

import datetime
import io
import logging
import runpy
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from gunicorn.config import Config
from gunicorn.glogging import Logger

from core.logs import RedactTokensFilter, redact_tokens

TOKENS = ["Zx3-_kq9T0ken", "eyJ1IjoxMiwiayI6ImRpZ2VzdCJ9:1tXyZa:AbC-dEf_123.456"]


def _token_patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    """Every URL name whose route takes a `token`."""
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            names += _token_patterns(pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
        elif isinstance(pattern, URLPattern) and "<str:token>" in str(pattern.pattern):
            names.append(prefix + pattern.name)
    return names


def test_every_capability_url_is_redacted():
    names = _token_patterns(get_resolver())
    assert {"meetings:person_feed", "meetings:series_feed", "notifications:unsubscribe"} <= set(names)
    assert "accounts:invitation_accept" in names
    for name in names:
        for token in TOKENS:
            kwargs = {"token": token} | ({"series_id": uuid.uuid4()} if name == "meetings:series_feed" else {})
            path = reverse(name, kwargs=kwargs)
            redacted = redact_tokens(f'"GET {path}?x=1 HTTP/1.1" 200')
            assert token not in redacted and "<redacted>" in redacted, (name, redacted)


def test_the_redacted_path_still_says_what_was_asked():
    assert redact_tokens("/series/feeds/Zx3-_kq9T0ken.ics") == "/series/feeds/<redacted>.ics"
    series = uuid.uuid4()
    assert redact_tokens(f"/series/{series}/feed/abc.ics") == f"/series/{series}/feed/<redacted>.ics"
    assert redact_tokens("Not Found: /accounts/invite/abc/") == "Not Found: /accounts/invite/<redacted>/"
    assert redact_tokens("/notifications/unsubscribe/a:b.c/?x") == "/notifications/unsubscribe/<redacted>/?x"


@pytest.mark.parametrize(
    "path", ["/series/", f"/series/sessions/{uuid.uuid4()}/session.ics", "/series/calendar/", "/operators/canopee/"]
)
def test_other_paths_are_left_alone(path):
    assert redact_tokens(path) == path


def test_the_filter_redacts_message_and_arguments():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "%s: %s", ("Not Found", "/series/feeds/secret.ics"), None
    )
    assert RedactTokensFilter().filter(record) is True
    assert record.getMessage() == "Not Found: /series/feeds/<redacted>.ics"


@pytest.fixture
def console_output():
    """What the console handler of settings.LOGGING writes."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RedactTokensFilter) for f in h.filters))
    stream = handler.setStream(io.StringIO())
    yield handler.stream
    handler.setStream(stream)


@pytest.mark.django_db
def test_djangos_request_log_shows_no_token(console_output):
    token = "Zx3-_kq9T0kenThatDoesNotExist"
    response = Client().get(reverse("meetings:person_feed", kwargs={"token": token}))
    assert response.status_code == 404
    logged = console_output.getvalue()
    assert "Not Found: /series/feeds/<redacted>.ics" in logged and token not in logged


def test_the_django_loggers_go_through_the_redacting_handler():
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact_tokens"]
    assert settings.LOGGING["loggers"]["django"] == {"handlers": [], "level": "INFO", "propagate": True}
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]


class _Response:
    status = "200 OK"
    sent = 1234
    headers = [("Content-Type", "text/calendar")]


def test_gunicorns_access_log_shows_no_token(capsys):
    conf = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))
    assert issubclass(conf["logger_class"], Logger)
    cfg = Config()
    for name in ("logger_class", "access_log_format", "accesslog"):
        cfg.set(name, conf[name] if name != "accesslog" else "-")
    logger = cfg.logger_class(cfg)
    token = "Zx3-_kq9T0ken"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/series/feeds/{token}.ics",
        "PATH_INFO": f"/series/feeds/{token}.ics",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://carrefour.example/notifications/unsubscribe/{token}/",
    }
    request_headers = [("REFERER", environ["HTTP_REFERER"])]
    logger.access(_Response(), request_headers, environ, datetime.timedelta(milliseconds=12))
    line = capsys.readouterr().out
    assert '"GET /series/feeds/<redacted>.ics HTTP/1.1" 200 1234 12ms' in line
    assert token not in line
    atoms = logger.atoms(_Response(), request_headers, environ, datetime.timedelta(milliseconds=12))
    assert not [key for key, value in atoms.items() if token in str(value)]
