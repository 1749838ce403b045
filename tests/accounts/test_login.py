"""Signing in behind the shipped nginx: rate limits per client, and no timing
difference between a known and an unknown address."""

import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from config.settings import base as production

from ..factories import PASSWORD, UserFactory


@pytest.fixture
def rate_limits(settings):
    """The production rate limits (the test settings turn them off), counted afresh."""
    settings.ACCOUNT_RATE_LIMITS = production.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def _login(client: Client, email: str, password: str, forwarded_for: str):
    # nginx appends the address it saw to whatever X-Forwarded-For the client sent.
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def _refused(response) -> bool:
    if response.status_code == 429:
        return True
    errors = str(response.context["form"].errors) if response.context else ""
    return "Trop de tentatives" in errors or "Too many failed login attempts" in errors


def test_a_client_locked_out_does_not_lock_out_another(member, rate_limits):
    attacker, colleague = Client(), Client()
    # Ten failures (the per-address limit), each with another address so
    # that no account's own limit is reached, and with a forged first entry.
    for i in range(10):
        _login(attacker, f"nobody{i}@example.org", "wrong", f"10.0.0.{i}, 203.0.113.7")
    assert _refused(_login(attacker, "nobody-else@example.org", "wrong", "10.9.9.9, 203.0.113.7"))

    response = _login(colleague, member.email, PASSWORD, "198.51.100.2")
    assert response.status_code == 302 and colleague.session["_auth_user_id"] == str(member.pk)


def test_the_addresses_are_those_nginx_appends():
    assert production.ALLAUTH_TRUSTED_PROXY_COUNT == 1


class SlowHasher(PBKDF2PasswordHasher):
    """The production hasher with a fifth of its iterations: still slow enough to dominate a request."""

    iterations = 200_000


def test_a_known_and_an_unknown_address_take_the_same_time(client, settings, db):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_login.SlowHasher"]
    known = UserFactory(email="known@example.org")  # its hash is made by SlowHasher
    assert known.password.startswith("pbkdf2_sha256$200000$")

    def duration(email: str) -> float:
        start = time.perf_counter()
        response = client.post(reverse("account_login"), {"login": email, "password": "not-the-password"})
        elapsed = time.perf_counter() - start
        assert response.status_code == 200  # refused, the form again
        return elapsed

    duration("warm-up@example.org")
    known_times, unknown_times = [], []
    for _ in range(7):  # interleaved, so that a busy moment of the machine hits both
        known_times.append(duration("known@example.org"))
        unknown_times.append(duration("unknown@example.org"))
    # The fastest of each: on a loaded machine the median still catches other work's pauses,
    # the minimum is the request's own cost.
    ratio = min(unknown_times) / min(known_times)
    # Both check one password hash per backend; skipping the hash for an
    # unknown address would make it about twice as fast.
    assert 0.75 < ratio < 1.33, (known_times, unknown_times)
