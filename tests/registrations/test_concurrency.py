"""Two people take the last place at the same moment: one gets it, the other waits.

Needs PostgreSQL (two connections, real row locks): on SQLite the test is
skipped, unless CARREFOUR_REQUIRE_SERVICES is set, as in CI, where it fails.
"""

import os
import threading
import time

import pytest
from django.db import connection, connections

from registrations import services
from registrations.models import Registration

from ..factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _need_postgresql():
    if connection.vendor != "postgresql":
        reason = "two connections taking one place need PostgreSQL (DATABASE_URL)"
        if os.environ.get("CARREFOUR_REQUIRE_SERVICES"):
            pytest.fail(f"Required service missing: {reason}")
        pytest.skip(reason)


def test_two_people_taking_the_last_place_end_one_registered_one_waiting(thematic, date, monkeypatch):
    RegistrationFactory(series=thematic, session=date)  # one of the two places is taken
    # Widen the moment between counting the places and taking one, so that
    # both attempts overlap there: only the session's lock keeps them apart.
    count = services._places_taken

    def slow_count(session):
        taken = count(session)
        time.sleep(0.5)
        return taken

    monkeypatch.setattr(services, "_places_taken", slow_count)
    people = UserFactory.create_batch(2)
    start = threading.Barrier(2)
    errors = []

    def take(person):
        try:
            start.wait(timeout=10)
            services.registration_submit(
                actor=person, series=thematic, session=date, organisation_name="CPAS", profession="Infirmier"
            )
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    statuses = sorted(Registration.objects.filter(user__in=people).values_list("status", flat=True))
    assert statuses == [Registration.Status.REGISTERED, Registration.Status.WAITING]


def test_the_same_person_twice_at_once_registers_once(thematic, date):
    person = UserFactory()
    start = threading.Barrier(2)
    outcomes = []

    def take():
        try:
            start.wait(timeout=10)
            services.registration_submit(
                actor=person, series=thematic, session=date, organisation_name="CPAS", profession="Infirmier"
            )
            outcomes.append("registered")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ValidationError", "registered"]
    assert Registration.objects.filter(user=person).count() == 1
