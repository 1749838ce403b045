"""Expected outcomes per persona for the charter URLs (see tests/test_permissions.py).

Personas: anonymous, outsider, other_member, member, referent, other_coordinator, coordinator, admin,
individual, session_registrant (neither takes part in the clinical series).
The charter under test is that of `charter_series`, a clinical concertation that
`coordinator` coordinates and `operator` takes part in, whose version 1 is
published and required: `member` and `referent` have not accepted it, so the
charter is all they may open there; the coordinators' pages lead them to it
(302) and refuse their posts (403).
"""

import datetime

from meetings.models import Participation, Series

from ..factories import SeriesFactory
from ..factories.charter import charter_publish_version

L = "login"
HELD_BACK_GET = 302  # to the charter page
HELD_BACK_POST = 403

EXPECTED = {
    "meetings:charter": (L, 404, 404, 200, 200, 404, 200, 200, 404, 404),
    # Nothing to withdraw yet: a message, back to the charter.
    "meetings:charter_withdraw": (L, 404, 404, 302, 302, 404, 302, 302, 404, 404),
    "meetings:charter_edit": (L, 404, 404, HELD_BACK_GET, HELD_BACK_GET, 404, 200, 200, 404, 404),
    "meetings:charter_requirement": (L, 404, 404, HELD_BACK_POST, HELD_BACK_POST, 404, 302, 302, 404, 404),
    "meetings:charter_signatories": (L, 404, 404, HELD_BACK_GET, HELD_BACK_GET, 404, 200, 200, 404, 404),
    "meetings:charter_signatories_csv": (L, 404, 404, HELD_BACK_GET, HELD_BACK_GET, 404, 200, 200, 404, 404),
    "meetings:charter_signatories_xlsx": (L, 404, 404, HELD_BACK_GET, HELD_BACK_GET, 404, 200, 200, 404, 404),
    "meetings:charter_remind": (L, 404, 404, HELD_BACK_POST, HELD_BACK_POST, 404, 302, 302, 404, 404),
}
POST_ONLY = {"meetings:charter_withdraw", "meetings:charter_requirement", "meetings:charter_remind"}
# The coordinators keep the charter required while the table runs.
POST_DATA = {"meetings:charter_requirement": {"required": "on"}}


def charter_series(coordinator, operator) -> Series:
    """A clinical concertation under a required charter (version 1), `operator` taking part."""
    series = SeriesFactory(name="Concertation clinique Archipel", kind=Series.Kind.CLINICAL)
    series.coordinators.add(coordinator)
    Participation.objects.create(series=series, operator=operator, since=datetime.date(2020, 9, 1))
    charter_publish_version(series, coordinator)
    return series


def url_kwargs(request) -> dict:
    series = charter_series(request.getfixturevalue("coordinator"), request.getfixturevalue("operator"))
    key = {"series_id": series.public_id}
    return dict.fromkeys(EXPECTED, key)
