"""Who may reach the registers, actions and cooperation needs (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin,
individual, session_registrant. The registers and the board
list only what the person may see (empty for an outsider); an action or a
need of a series you are not part of is 404; taking part without the right
is 403. The action and the need belong to `operator` (member, referent).
"""

LOGIN, OK = "login", 200
EVERYONE_SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK)
SERIES_VISIBLE = (LOGIN, 404, 404, OK, OK, 404, OK, OK, OK, 404)
COORDINATORS_POST = (LOGIN, 404, 404, 403, 403, 404, 302, 302, 403, 404)

EXPECTED = {
    "meetings:action_register": EVERYONE_SIGNED_IN,
    "meetings:action_export": EVERYONE_SIGNED_IN,
    "meetings:decision_register": EVERYONE_SIGNED_IN,
    "meetings:decision_export": EVERYONE_SIGNED_IN,
    # Owners (members of the owner operator) and coordinators close an action;
    # an individual participant sees the series, owns no operator's action.
    "meetings:action_close": (LOGIN, 404, 404, OK, OK, 404, OK, OK, 403, 404),
    "meetings:action_reopen": COORDINATORS_POST,
    "meetings:need_board": EVERYONE_SIGNED_IN,
    # Needs are raised by an operator: not by an individual participant.
    "meetings:need_raise": (LOGIN, 404, 404, OK, OK, 404, OK, OK, 403, 404),
    "meetings:need_detail": SERIES_VISIBLE,
    # "Nous aussi" is for other operators taking part: `operator` raised the need.
    "meetings:need_endorse": (LOGIN, 404, 404, 403, 403, 404, 403, 403, 403, 404),
    "meetings:need_confirm": COORDINATORS_POST,
    "meetings:need_close": COORDINATORS_POST,
    "meetings:need_reopen": COORDINATORS_POST,
}
POST_ONLY = {
    "meetings:action_reopen",
    "meetings:need_endorse",
    "meetings:need_confirm",
    "meetings:need_close",
    "meetings:need_reopen",
}
POST_DATA = {"meetings:need_close": {"stage": "closed"}}


def url_kwargs(request) -> dict:
    from meetings.services.actions import action_record
    from meetings.services.needs import need_raise

    series = request.getfixturevalue("series")
    session = request.getfixturevalue("session")
    coordinator = request.getfixturevalue("coordinator")
    operator = request.getfixturevalue("operator")
    action = action_record(actor=coordinator, session=session, description="Envoyer la fiche", owner_operator=operator)
    need = need_raise(actor=coordinator, series=series, operator=operator, title="Lits de crise")
    by_action = {"action_id": action.public_id}
    by_need = {"need_id": need.public_id}
    return {
        "meetings:action_close": by_action,
        "meetings:action_reopen": by_action,
        "meetings:need_raise": {"series_id": series.public_id},
        "meetings:need_detail": by_need,
        "meetings:need_endorse": by_need,
        "meetings:need_confirm": by_need,
        "meetings:need_close": by_need,
        "meetings:need_reopen": by_need,
    }
