"""Production defaults (config.settings.base) and the systemd units of deploy/."""

import configparser
import json
import subprocess
import sys

import pytest
from django.conf import settings

SECRET = "deploy-test-" + "k" * 50
PRINT_SECURITY = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
    "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE}))"
)


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _security(**env: str) -> dict:
    result = _run(["-c", PRINT_SECURITY], **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


PRODUCTION = {"DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "0", "SECRET_KEY": SECRET}


def test_production_passes_the_deploy_checks_with_only_a_secret_and_its_hosts():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], ALLOWED_HOSTS="carrefour.example", **PRODUCTION
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_production_is_https_only_by_default():
    assert _security(**PRODUCTION) == {
        "ssl_redirect": True,
        "hsts": 365 * 24 * 3600,
        "session_secure": True,
        "csrf_secure": True,
    }


def test_a_proxy_that_does_it_may_turn_each_off():
    off = {"SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0", "SESSION_COOKIE_SECURE": "0"}
    assert _security(**PRODUCTION, **off) == {
        "ssl_redirect": False,
        "hsts": 0,
        "session_secure": False,
        "csrf_secure": True,
    }


def test_a_developers_machine_speaks_plain_http():
    assert _security(DJANGO_SETTINGS_MODULE="config.settings.local") == {
        "ssl_redirect": False,
        "hsts": 0,
        "session_secure": False,
        "csrf_secure": False,
    }


def test_the_tests_speak_plain_http(client, db):
    assert not settings.SECURE_SSL_REDIRECT and not settings.SESSION_COOKIE_SECURE
    assert client.get("/accounts/login/").status_code == 200


def test_healthz_is_not_redirected_for_a_load_balancer(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("unit", ["carrefour-worker", "carrefour-beat"])
def test_worker_and_beat_are_restarted_in_any_case(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(settings.BASE_DIR / "deploy" / "systemd" / f"{unit}.service")
    assert parser["Service"]["Restart"] == "always"
    assert 0 < int(parser["Service"]["RestartSec"]) <= 30
    assert parser["Unit"]["StartLimitIntervalSec"] == "0"  # never given up on
