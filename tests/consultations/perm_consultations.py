"""Who may reach the consultation pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin,
individual, session_registrant.

The series is the one tests/registrations/perm_registrations.py makes public
and open: its consultation page and its published synthesis (and files) are
everyone's. A session's contributions are for those who take part in the
series and for who registered to that session alone; the board, the paste, the themes, the
answers and the synthesis' composition are its coordinators' (403 for those
who take part, 404 for the others). A contribution is its author's alone.
"""

from consultations.services import synthesis_publish
from registrations.models import Registration

from ..factories.consultations import ContributionFactory, ThemeFactory

L, OK = "login", 200
COORDINATORS = (L, 404, 404, 403, 403, 404, OK, OK, 403, 403)
COORDINATORS_POST = (L, 404, 404, 403, 403, 404, 302, 302, 403, 403)
EVERYONE = (OK,) * 10

EXPECTED = {
    "consultations:series": EVERYONE,
    "consultations:contribution_question": (L, 403, 403, 403, 403, 403, 302, 302, 403, 403),
    "consultations:session": (L, 404, 404, OK, OK, 404, OK, OK, OK, OK),
    "consultations:contribution_edit": (L, 404, 404, 404, 404, 404, 404, 404, OK, 404),
    "consultations:contribution_withdraw": (L, 404, 404, 404, 404, 404, 404, 404, 302, 404),
    "consultations:board": COORDINATORS,
    "consultations:record": COORDINATORS_POST,
    "consultations:paste": COORDINATORS,
    "consultations:collection": COORDINATORS_POST,
    "consultations:theme_create": COORDINATORS_POST,
    "consultations:theme_edit": COORDINATORS,
    "consultations:theme_move": COORDINATORS_POST,
    "consultations:items_merge": COORDINATORS_POST,
    "consultations:item_move": COORDINATORS_POST,
    "consultations:item_answer": COORDINATORS,
    "consultations:item_forward": COORDINATORS_POST,
    "consultations:follow_up_add": COORDINATORS_POST,
    "consultations:synthesis": EVERYONE,
    "consultations:synthesis_edit": COORDINATORS,
    "consultations:synthesis_publish": COORDINATORS_POST,
    "consultations:synthesis_file": EVERYONE,
}
POST_ONLY = {
    "consultations:contribution_question",
    "consultations:contribution_withdraw",
    "consultations:record",
    "consultations:collection",
    "consultations:theme_create",
    "consultations:theme_move",
    "consultations:items_merge",
    "consultations:item_move",
    "consultations:synthesis_publish",
    "consultations:item_forward",
    "consultations:follow_up_add",
}
POST_DATA = {
    "consultations:record": {"kind": "proposal", "text": "Une proposition dite oralement"},
    "consultations:collection": {"open": "1"},
    "consultations:theme_create": {"name": "Cartographie"},
    "consultations:theme_move": {"direction": "up"},
    "consultations:item_move": {"direction": "up"},
}


def url_kwargs(request) -> dict:
    series = request.getfixturevalue("series")
    individual = request.getfixturevalue("individual")
    request.getfixturevalue("session_registrant")
    session = request.getfixturevalue("registered_session")
    coordinator = request.getfixturevalue("coordinator")
    assert Registration.objects.filter(session=session).exists()
    theme = ThemeFactory(session=session, name="Réseau")
    own = ContributionFactory(session=session, author=individual)
    item = ContributionFactory(session=session)
    synthesis_publish(actor=coordinator, session=session)
    by_session = {"session_id": session.public_id}
    return {
        "consultations:series": {"series_id": series.public_id},
        "consultations:contribution_question": {"series_id": series.public_id},
        "consultations:session": by_session,
        "consultations:contribution_edit": {"contribution_id": own.public_id},
        "consultations:contribution_withdraw": {"contribution_id": own.public_id},
        "consultations:board": by_session,
        "consultations:record": by_session,
        "consultations:paste": by_session,
        "consultations:collection": by_session,
        "consultations:theme_create": by_session,
        "consultations:theme_edit": by_session | {"pk": theme.pk},
        "consultations:theme_move": by_session | {"pk": theme.pk},
        "consultations:items_merge": by_session,
        "consultations:item_move": {"contribution_id": item.public_id},
        "consultations:item_answer": {"contribution_id": item.public_id},
        "consultations:item_forward": {"contribution_id": item.public_id},
        "consultations:follow_up_add": by_session,
        "consultations:synthesis": by_session,
        "consultations:synthesis_edit": by_session,
        "consultations:synthesis_publish": by_session,
        "consultations:synthesis_file": by_session | {"fmt": "docx"},
    }
