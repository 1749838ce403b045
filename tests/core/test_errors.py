"""Error answers: 503 while the database is unreachable, and a refusal logged as one line."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from ..conftest import login


@pytest.fixture
def database_down(db):
    """Call it, and every use of the database fails as when PostgreSQL is down."""
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    patcher = mock.patch.object(connections["default"], "ensure_connection", side_effect=refused)
    started = []
    yield lambda: started.append(patcher.start())
    if started:  # given back before the test's transaction is rolled back
        patcher.stop()


def _client(**kwargs) -> Client:
    # As a browser would see it: the error page, not the exception.
    return Client(raise_request_exception=False, **kwargs)


@pytest.mark.django_db
def test_pages_answer_503_while_the_database_is_down(database_down):
    client = _client()
    database_down()
    response = client.get(reverse("operators:directory"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Service temporairement indisponible" in body and '<html lang="fr">' in body


def test_a_signed_in_person_gets_the_503_page_in_english(member, database_down):
    client = login(_client(HTTP_ACCEPT_LANGUAGE="en"), member)
    database_down()  # the session itself can no longer be read
    response = client.get(reverse("core:home"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Service temporarily unavailable" in response.content.decode()


@pytest.mark.django_db
def test_other_server_errors_stay_500(monkeypatch):
    def broken(request):
        raise RuntimeError("a bug")

    monkeypatch.setattr("core.views.health.database_ok", broken)
    response = _client().get(reverse("core:healthz"))
    assert response.status_code == 500 and "Retry-After" not in response


def test_a_refusal_is_logged_as_one_line(client, member, caplog):
    login(client, member)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("accounts:invitation_list"))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()  # the site's 403 page
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None and records[0].levelno == logging.WARNING
    assert records[0].getMessage() == "Forbidden: /accounts/invitations/"
