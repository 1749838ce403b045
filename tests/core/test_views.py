import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from config.celery_app import app as celery_app
from core import health
from core.views import error_500

from ..conftest import login


@pytest.mark.django_db
def test_healthz_reports_both_services(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "broker_ok", lambda: False)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503 and response.json()["database"] == "down"


@pytest.fixture
def broker_at(monkeypatch):
    def point(url: str) -> None:
        monkeypatch.setitem(celery_app.conf, "broker_url", url)

    return point


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers (a hung Redis)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def _timed(check) -> tuple[bool, float]:
    start = time.monotonic()
    return check(), time.monotonic() - start


@pytest.mark.django_db
def test_broker_check_fails_at_once_on_a_refused_connection(broker_at):
    broker_at("redis://127.0.0.1:1/0")
    ok, elapsed = _timed(health.broker_ok)
    assert ok is False and elapsed < 1


@pytest.mark.django_db
def test_broker_check_gives_up_on_a_silent_broker(broker_at, silent_server):
    broker_at(f"redis://127.0.0.1:{silent_server}/0")
    ok, elapsed = _timed(health.broker_ok)
    assert ok is False and elapsed < 2.5


@pytest.mark.django_db
def test_healthz_answers_fast_while_redis_is_down(client, broker_at):
    broker_at("redis://127.0.0.1:1/0")
    start = time.monotonic()
    response = client.get(reverse("core:healthz"))
    assert time.monotonic() - start < 1.5
    assert response.status_code == 503 and response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "down",
    }


def test_a_postgresql_connection_gives_up_after_a_few_seconds():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": "postgres://carrefour@db.example:5432/carrefour",
    }
    code = "import django; django.setup(); from django.db import connection; print(connection.settings_dict['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "{'connect_timeout': 3}"


def test_french_is_the_default(client, db):
    response = client.get(reverse("account_login"))
    assert response.headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()


def test_language_switch_remembers_the_choice(client, member):
    login(client, member)
    response = client.post(reverse("core:language_set"), {"language": "en", "next": "/operators/"})
    assert response["Location"] == "/operators/"
    member.refresh_from_db()
    assert member.language == "en"
    assert client.get("/").headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_language_switch_refuses_foreign_redirects_and_languages(client):
    response = client.post(reverse("core:language_set"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


@pytest.mark.django_db
def test_anonymous_language_switch_sets_a_cookie(client):
    response = client.post(reverse("core:language_set"), {"language": "en", "next": "/accounts/login/"})
    assert response.cookies["django_language"].value == "en"
    assert client.get("/accounts/login/").headers["Content-Language"] == "en"


@override_settings(DEBUG=False)
def test_404_page_has_the_site_look(client, member):
    response = login(client, member).get("/nowhere/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Carrefour" in body and 'id="main"' in body


def test_500_page_renders_without_the_database(rf):
    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert "Carrefour" in response.content.decode()


def test_csp_forbids_third_party_and_inline_code(client, db):
    policy = client.get(reverse("account_login")).headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy


def test_manage_py_works_on_a_fresh_machine_without_any_variable():
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "No changes detected" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
