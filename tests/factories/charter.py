"""Charters for the tests: published through the services, as coordinators do."""

from core.request_cache import forget
from meetings.models import Series
from meetings.services.charter import charter_accept, charter_ensure, charter_publish

CHARTER_TEXT = (
    "## Confidentialité\n\nLes situations sont présentées **anonymisées**. "
    "Ce qui se dit au groupe reste au groupe.\n\n- Respect des personnes\n- Secret professionnel partagé\n"
)


def charter_publish_version(series: Series, coordinator, *, title: str = "Charte du groupe", body: str = CHARTER_TEXT):
    """Publish a new version of the series' charter (required by default) and return it."""
    forget(coordinator)  # they may have become its coordinator since their facts were read
    charter = charter_ensure(series=series)
    charter.refresh_from_db()
    return charter_publish(actor=coordinator, series=series, title=title, body=body, revision=charter.draft_revision)


def accepted_by(series: Series, *people) -> None:
    """The people accept the series' current version."""
    for person in people:
        forget(person)
        charter_accept(actor=person, series=series, signed_name=person.name)
