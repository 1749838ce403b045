"""Expected outcomes per persona for absences and closed periods (see tests/test_permissions.py).

Personas: anonymous, outsider, other_member, member, referent, other_coordinator, coordinator, admin,
individual, session_registrant.
Everyone signed in has an absences page (their own absences at least). The
withdrawal answers a redirect with a message whoever asks; only those who
speak for the operator withdraw it (tests/meetings/test_absences.py).
"""

import datetime

from django.utils import timezone

from meetings.models import Absence

L = "login"

EXPECTED = {
    "meetings:absences": (L, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "meetings:absence_withdraw": (L, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "meetings:series_closures": (L, 404, 404, 403, 403, 404, 200, 200, 403, 404),
}

POST_ONLY = {"meetings:absence_withdraw"}
POST_DATA = {}


def url_kwargs(request) -> dict:
    series = request.getfixturevalue("series")
    operator = request.getfixturevalue("operator")
    today = timezone.localdate()
    absence = Absence.objects.create(operator=operator, starts_on=today, ends_on=today + datetime.timedelta(days=7))
    POST_DATA["meetings:absence_withdraw"] = {"absence": absence.pk}
    return {"meetings:series_closures": {"series_id": series.public_id}}
