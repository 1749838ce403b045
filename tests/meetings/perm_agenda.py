"""Who may reach the agenda and info-round pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin,
individual, session_registrant. A series you are not part
of is 404; taking part without coordinating it is 403 on the coordinators'
pages. `other_member`'s operator does not take part in the series: its
members get 404 on the series' info rounds (a member of another operator
that does take part gets 403: tests/meetings/test_inforound_views.py).

The destructive URLs come last: the table is walked in order with the same data.
"""

LOGIN, OK = "login", 200
VIEW = (LOGIN, 404, 404, OK, OK, 404, OK, OK, OK, 404)
COORDINATORS_ONLY = (LOGIN, 404, 404, 403, 403, 404, OK, OK, 403, 404)
COORDINATORS_POST = (LOGIN, 404, 404, 403, 403, 404, 302, 302, 403, 404)

EXPECTED = {
    "meetings:agenda_template": VIEW,
    "meetings:agenda_template_prepare": COORDINATORS_POST,
    "meetings:agenda_draft": COORDINATORS_ONLY,
    "meetings:agenda_draft_item_add": COORDINATORS_ONLY,
    "meetings:agenda_draft_item_edit": COORDINATORS_ONLY,
    "meetings:agenda_draft_item_move": COORDINATORS_POST,
    "meetings:agenda_draft_question_add": COORDINATORS_ONLY,
    "meetings:agenda_draft_question_edit": COORDINATORS_ONLY,
    "meetings:agenda_draft_question_move": COORDINATORS_POST,
    "meetings:session_agenda_edit": COORDINATORS_ONLY,
    "meetings:session_agenda_item_add": COORDINATORS_ONLY,
    "meetings:session_agenda_item_edit": COORDINATORS_ONLY,
    "meetings:session_agenda_item_move": COORDINATORS_POST,
    # An operator's entry: its members write it, an individual participant has none to write.
    "meetings:inforound_entry": (LOGIN, 404, 404, OK, OK, 404, OK, OK, 403, 404),
    "meetings:inforound_board": COORDINATORS_ONLY,
    "meetings:inforound_compiled": VIEW,
    # Destructive: last.
    "meetings:session_agenda_item_delete": COORDINATORS_POST,
    "meetings:agenda_draft_item_delete": COORDINATORS_POST,
    "meetings:agenda_draft_question_delete": COORDINATORS_POST,
    "meetings:agenda_draft_discard": COORDINATORS_POST,
}
POST_ONLY = {
    "meetings:agenda_template_prepare",
    "meetings:agenda_draft_item_move",
    "meetings:agenda_draft_question_move",
    "meetings:session_agenda_item_move",
    "meetings:session_agenda_item_delete",
    "meetings:agenda_draft_item_delete",
    "meetings:agenda_draft_question_delete",
    "meetings:agenda_draft_discard",
}
POST_DATA = {
    "meetings:agenda_draft_item_move": {"direction": "down"},
    "meetings:agenda_draft_question_move": {"direction": "down"},
    "meetings:session_agenda_item_move": {"direction": "down"},
}


def url_kwargs(request) -> dict:
    from meetings.models import InfoRoundEntry
    from meetings.services.agenda import agenda_item_add, agenda_template_prepare

    series = request.getfixturevalue("series")
    session = request.getfixturevalue("session")
    coordinator = request.getfixturevalue("coordinator")
    operator = request.getfixturevalue("operator")
    draft = agenda_template_prepare(actor=coordinator, series=series)
    item, question = draft.items.first(), draft.questions.first()
    # A session whose agenda was changed by hand: other areas' regenerations keep it.
    session_item = agenda_item_add(actor=coordinator, session=session, title="Accueil", kind="opening", timebox=5)
    # The operator has begun its entry: its page stays reachable after another
    # area of this table ends the operator's participation.
    InfoRoundEntry.objects.create(session=session, operator=operator, updated_by=request.getfixturevalue("member"))
    by_series = {"series_id": series.public_id}
    by_session = {"session_id": session.public_id}
    return {
        "meetings:agenda_template": by_series,
        "meetings:agenda_template_prepare": by_series,
        "meetings:agenda_draft": by_series,
        "meetings:agenda_draft_discard": by_series,
        "meetings:agenda_draft_item_add": by_series,
        "meetings:agenda_draft_item_edit": by_series | {"pk": item.pk},
        "meetings:agenda_draft_item_delete": by_series | {"pk": item.pk},
        "meetings:agenda_draft_item_move": by_series | {"pk": item.pk},
        "meetings:agenda_draft_question_add": by_series,
        "meetings:agenda_draft_question_edit": by_series | {"pk": question.pk},
        "meetings:agenda_draft_question_delete": by_series | {"pk": question.pk},
        "meetings:agenda_draft_question_move": by_series | {"pk": question.pk},
        "meetings:session_agenda_edit": by_session,
        "meetings:session_agenda_item_add": by_session,
        "meetings:session_agenda_item_edit": by_session | {"pk": session_item.pk},
        "meetings:session_agenda_item_delete": by_session | {"pk": session_item.pk},
        "meetings:session_agenda_item_move": by_session | {"pk": session_item.pk},
        "meetings:inforound_entry": by_session | {"operator_slug": operator.slug},
        "meetings:inforound_board": by_session,
        "meetings:inforound_compiled": by_session,
    }
