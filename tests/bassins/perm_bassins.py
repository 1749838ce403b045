"""Who may reach the bassins' pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin, individual, session_registrant. A bassin's page, its état des
lieux and the map are for every signed-in person; only the bassin's
coordination team (no persona here is in it) and admins change the bassin.
"""

import datetime

from bassins.models import StateNote
from bassins.services import slot_book, slot_publish, week_open
from core.brussels import BRUSSELS
from meetings.models import Participation, Series
from operators.models import Operator, Territory

LOGIN, OK = "login", 200
EVERYONE_SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK)
BASSIN_TEAM = (LOGIN, 403, 403, 403, 403, 403, 403, OK, 403, 403)
BASSIN_TEAM_POST = (LOGIN, 403, 403, 403, 403, 403, 403, 302, 403, 403)
COORDINATORS = (LOGIN, 403, 403, 403, 403, OK, OK, OK, 403, 403)
EVERYONE_POST = (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302)
# A link of a series that `coordinator` coordinates and both operators take part in.
LINK_VISIBLE = (LOGIN, 404, OK, OK, OK, 404, OK, OK, 404, 404)

EXPECTED = {
    "bassins:index": EVERYONE_SIGNED_IN,
    "bassins:detail": EVERYONE_SIGNED_IN,
    "bassins:state": EVERYONE_SIGNED_IN,
    "bassins:state_pdf": EVERYONE_SIGNED_IN,
    "bassins:note_add": BASSIN_TEAM,
    "bassins:note_delete": BASSIN_TEAM_POST,
    "bassins:working_groups_create": BASSIN_TEAM_POST,
    "bassins:municipalities": BASSIN_TEAM,
    "bassins:week_create": BASSIN_TEAM,
    "bassins:week": EVERYONE_SIGNED_IN,
    # Members of a service of the bassin publish its visits (no persona's service is there).
    "bassins:slot_create": BASSIN_TEAM,
    "bassins:slot_book": EVERYONE_POST,
    "bassins:slot_cancel": EVERYONE_POST,
    "bassins:slot_confirm": EVERYONE_POST,
    "bassins:slot_held": BASSIN_TEAM_POST,
    # The calendar file of a visit: only to whoever has a place on it (`member` here).
    "bassins:slot_calendar": (LOGIN, 404, 404, OK, 404, 404, 404, 404, 404, 404),
    "bassins:map": EVERYONE_SIGNED_IN,
    "bassins:map_data": EVERYONE_SIGNED_IN,
    "bassins:map_table": EVERYONE_SIGNED_IN,
    "bassins:map_link": LINK_VISIBLE,
    "bassins:operator_links": EVERYONE_SIGNED_IN,
    "bassins:map_nodes_csv": COORDINATORS,
    "bassins:map_edges_csv": COORDINATORS,
    "bassins:map_graphml": COORDINATORS,
}
POST_ONLY = {
    "bassins:note_delete",
    "bassins:working_groups_create",
    "bassins:slot_book",
    "bassins:slot_cancel",
    "bassins:slot_confirm",
    "bassins:slot_held",
}


def url_kwargs(request) -> dict:
    request.getfixturevalue("db")
    sud = Territory.objects.get(slug="bruxelles-sud")
    note = StateNote.objects.create(
        bassin=sud, title="Population", body="…", as_of=datetime.date(2024, 1, 1), source="Statbel"
    )
    operator = request.getfixturevalue("operator")
    other_operator = request.getfixturevalue("other_operator")
    shared = Series.objects.create(name="Série de la carte")
    shared.coordinators.add(request.getfixturevalue("coordinator"))
    for op in (operator, other_operator):
        Participation.objects.create(series=shared, operator=op, since=datetime.date(2024, 1, 1))
    admin = request.getfixturevalue("admin_user")
    start = datetime.date.today() + datetime.timedelta(days=7)
    week = week_open(actor=admin, bassin=sud, starts_on=start, ends_on=start + datetime.timedelta(days=4))
    host = Operator.objects.create(name="Service du Sud", slug="service-du-sud", kind="ssm", territory=sud)
    slot = slot_publish(
        actor=admin,
        week=week,
        host=host,
        starts_at=datetime.datetime.combine(start, datetime.time(10), tzinfo=BRUSSELS),
        duration=60,
        place="Forest",
        programme="Visite",
        capacity=2,
    )
    # A place for `member` on a visit of its own (the table posts a cancellation on `slot`).
    booked = slot_publish(
        actor=admin,
        week=week,
        host=host,
        starts_at=datetime.datetime.combine(start, datetime.time(14), tzinfo=BRUSSELS),
        duration=60,
        place="Forest",
        programme="Visite",
        capacity=2,
    )
    slot_book(actor=request.getfixturevalue("member"), slot=booked)
    by_slot = {"slot_id": slot.public_id}
    by_bassin = {"slug": sud.slug}
    return {
        "bassins:detail": by_bassin,
        "bassins:state": by_bassin,
        "bassins:state_pdf": by_bassin,
        "bassins:note_add": by_bassin,
        "bassins:note_delete": {"slug": sud.slug, "pk": note.pk},
        "bassins:working_groups_create": by_bassin,
        "bassins:municipalities": by_bassin,
        "bassins:map_link": {"a": operator.slug, "b": other_operator.slug},
        "bassins:operator_links": {"slug": operator.slug},
        "bassins:week_create": by_bassin,
        "bassins:week": {"week_id": week.public_id},
        "bassins:slot_create": {"week_id": week.public_id},
        "bassins:slot_book": by_slot,
        "bassins:slot_cancel": by_slot,
        "bassins:slot_confirm": by_slot,
        "bassins:slot_held": by_slot,
        "bassins:slot_calendar": {"slot_id": booked.public_id},
    }
