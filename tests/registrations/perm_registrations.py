"""Who may reach the registration pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin,
individual, session_registrant.

The series is made public and open here: its public page and registering
answer everyone (without an account, the sign-up form). A registration is
its person's alone (404 for anyone else); the lists, exports, attendance and
questions are its coordinators' (403 for those who see the series, 404 for
the others, as in meetings). The cancellation link needs no sign-in: its
token is the key. `cancel` comes last: it cancels the individual's registration.
"""

from meetings.models import Admission, Visibility
from registrations.models import Question, Registration
from registrations.tokens import cancel_token

from ..factories import RegistrationFactory

L, OK = "login", 200
EVERYONE = (OK,) * 10
COORDINATORS = (L, 404, 404, 403, 403, 404, OK, OK, 403, 404)
COORDINATORS_POST = (L, 404, 404, 403, 403, 404, 302, 302, 403, 404)
INDIVIDUAL_ONLY = (L, 404, 404, 404, 404, 404, 404, 404, OK, 404)
INDIVIDUAL_POST = (L, 404, 404, 404, 404, 404, 404, 404, 302, 404)

EXPECTED = {
    "registrations:open_series": EVERYONE,
    "registrations:series_public": EVERYONE,
    # Who already takes part (members, coordinators, admins, the individual): to the series or their registration.
    "registrations:register": (OK, OK, OK, 302, 302, OK, 302, 302, 302, OK),
    "registrations:register_session": (OK, OK, OK, OK, OK, OK, OK, OK, OK, 302),
    "registrations:mine": (L, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "registrations:detail": INDIVIDUAL_ONLY,
    "registrations:confirm": INDIVIDUAL_POST,
    "registrations:calendar": (L, 404, 404, 404, 404, 404, 404, 404, 404, OK),
    # The page of one's own registration to the session: the session page is not theirs.
    "registrations:my_session": (L, 404, 404, 404, 404, 404, 404, 404, 404, OK),
    "registrations:cancel_by_token": EVERYONE,
    "registrations:manage": COORDINATORS,
    "registrations:export": COORDINATORS,
    "registrations:questions": COORDINATORS,
    "registrations:question_delete": COORDINATORS_POST,
    "registrations:session_registrations": COORDINATORS,
    "registrations:attendance": COORDINATORS_POST,
    "registrations:live_attendance": COORDINATORS_POST,
    "registrations:attendance_sheet": COORDINATORS,
    "registrations:decide": COORDINATORS_POST,
    "registrations:link_operator": COORDINATORS_POST,
    "registrations:cancel": INDIVIDUAL_POST,
}
POST_ONLY = {
    "registrations:confirm",
    "registrations:question_delete",
    "registrations:attendance",
    "registrations:live_attendance",
    "registrations:decide",
    "registrations:link_operator",
    "registrations:cancel",
}
POST_DATA = {"registrations:decide": {"decision": "accept"}}


def url_kwargs(request) -> dict:
    series = request.getfixturevalue("series")
    series.visibility, series.admission = Visibility.PUBLIC, Admission.OPEN
    series.save(update_fields=["visibility", "admission"])
    request.getfixturevalue("individual")
    request.getfixturevalue("session_registrant")
    session = request.getfixturevalue("registered_session")
    own = Registration.objects.get(series=series, session__isnull=True, user__email="sarah@example.org")
    in_session = Registration.objects.get(session=session)
    requested = RegistrationFactory(series=series, status=Registration.Status.REQUESTED)
    someone = RegistrationFactory(series=series, session=session)
    question = Question.objects.create(series=series, text="Vos attentes ?")
    by_series = {"series_id": series.public_id}
    by_session = {"session_id": session.public_id}
    return {
        "registrations:series_public": by_series,
        "registrations:register": by_series,
        "registrations:register_session": by_session,
        "registrations:detail": {"registration_id": own.public_id},
        "registrations:confirm": {"registration_id": own.public_id},
        "registrations:cancel": {"registration_id": own.public_id},
        "registrations:calendar": {"registration_id": in_session.public_id},
        "registrations:my_session": by_session,
        "registrations:cancel_by_token": {"token": cancel_token(someone)},
        "registrations:manage": by_series,
        "registrations:export": by_series | {"fmt": "csv"},
        "registrations:questions": by_series,
        "registrations:question_delete": by_series | {"pk": question.pk},
        "registrations:session_registrations": by_session,
        "registrations:attendance": by_session,
        "registrations:live_attendance": by_session,
        "registrations:attendance_sheet": by_session,
        "registrations:decide": {"registration_id": requested.public_id},
        "registrations:link_operator": {"registration_id": requested.public_id},
    }
