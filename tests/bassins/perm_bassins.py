"""Who may reach the bassins' pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin. A bassin's page, its état des
lieux and the map are for every signed-in person; only the bassin's
coordination team (no persona here is in it) and admins change the bassin.
"""

import datetime

from bassins.models import StateNote
from operators.models import Territory

LOGIN, OK = "login", 200
EVERYONE_SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK, OK)
BASSIN_TEAM = (LOGIN, 403, 403, 403, 403, 403, 403, OK)
BASSIN_TEAM_POST = (LOGIN, 403, 403, 403, 403, 403, 403, 302)

EXPECTED = {
    "bassins:index": EVERYONE_SIGNED_IN,
    "bassins:detail": EVERYONE_SIGNED_IN,
    "bassins:state": EVERYONE_SIGNED_IN,
    "bassins:state_pdf": EVERYONE_SIGNED_IN,
    "bassins:note_add": BASSIN_TEAM,
    "bassins:note_delete": BASSIN_TEAM_POST,
    "bassins:working_groups_create": BASSIN_TEAM_POST,
}
POST_ONLY = {"bassins:note_delete", "bassins:working_groups_create"}


def url_kwargs(request) -> dict:
    request.getfixturevalue("db")
    sud = Territory.objects.get(slug="bruxelles-sud")
    note = StateNote.objects.create(
        bassin=sud, title="Population", body="…", as_of=datetime.date(2024, 1, 1), source="Statbel"
    )
    by_bassin = {"slug": sud.slug}
    return {
        "bassins:detail": by_bassin,
        "bassins:state": by_bassin,
        "bassins:state_pdf": by_bassin,
        "bassins:note_add": by_bassin,
        "bassins:note_delete": {"slug": sud.slug, "pk": note.pk},
        "bassins:working_groups_create": by_bassin,
    }
