"""Expected outcomes per persona for the clinical situations (see tests/test_permissions.py).

Personas: anonymous, outsider, other_member, member, referent, other_coordinator, coordinator, admin,
individual, session_registrant.
The series is a clinical concertation `coordinator` carries, `operator` taking part, under a
required charter that `member` accepted and `referent` has not. `member` proposed the
situations. Whoever is not a signatory nor the carrier group gets 404 — a referent who has
not accepted the current version too, and the admins, who read only the access log.
"""

from clinical import services
from clinical.models import Situation

from ..factories.clinical import VIGNETTE, clinical_series, clinical_session, situation_propose

L = "login"
NOBODY = 404
# Anonymous, outsider, other_member, member, referent, other_coordinator, coordinator, admin, individual, registrant.
SIGNATORY_AND_CARRIER = (L, NOBODY, NOBODY, 200, NOBODY, NOBODY, 200, NOBODY, NOBODY, NOBODY)
CARRIER_ONLY = (L, NOBODY, NOBODY, NOBODY, NOBODY, NOBODY, 200, NOBODY, NOBODY, NOBODY)
CARRIER_POST = (L, NOBODY, NOBODY, NOBODY, NOBODY, NOBODY, 302, NOBODY, NOBODY, NOBODY)

EXPECTED = {
    "clinical:access_log": (L, 403, 403, 403, 403, 403, 403, 200, 403, 403),
    "clinical:list": SIGNATORY_AND_CARRIER,
    "clinical:propose": SIGNATORY_AND_CARRIER,
    "clinical:pending": SIGNATORY_AND_CARRIER,
    "clinical:settings": CARRIER_ONLY,
    "clinical:pending_confirm": CARRIER_POST,
    "clinical:pending_refuse": CARRIER_POST,
    "clinical:session": SIGNATORY_AND_CARRIER,
    "clinical:session_owner": CARRIER_POST,
    "clinical:situation": SIGNATORY_AND_CARRIER,
    "clinical:edit": (L, NOBODY, NOBODY, 200, NOBODY, NOBODY, NOBODY, NOBODY, NOBODY, NOBODY),
    "clinical:rework": CARRIER_ONLY,
    "clinical:choose": CARRIER_POST,
    "clinical:present": CARRIER_POST,
    "clinical:recommend": CARRIER_ONLY,
    "clinical:follow_up": SIGNATORY_AND_CARRIER,
    "clinical:withdraw": (L, NOBODY, NOBODY, 302, NOBODY, NOBODY, NOBODY, NOBODY, NOBODY, NOBODY),
    "clinical:log": SIGNATORY_AND_CARRIER,
}
POST_ONLY = {
    "clinical:pending_confirm",
    "clinical:pending_refuse",
    "clinical:choose",
    "clinical:session_owner",
    "clinical:present",
    "clinical:withdraw",
}


def url_kwargs(request) -> dict:
    coordinator, member = request.getfixturevalue("coordinator"), request.getfixturevalue("member")
    series = clinical_series(coordinator, request.getfixturevalue("operator"), member, name="Archipel (table)")
    session = clinical_session(series)
    proposal = situation_propose(series, member)
    presented = situation_propose(series, member)
    services.situation_choose(actor=coordinator, situation=presented, version=0, session=session)
    services.situation_present(actor=coordinator, situation=presented)
    to_withdraw = situation_propose(series, member)
    held = [
        services.pending_hold(actor=member, series=series, target="proposal", values=dict(VIGNETTE)) for _ in range(2)
    ]
    assert Situation.objects.filter(series=series).count() == 3
    of_series = {"series_id": series.public_id}
    return {
        "clinical:list": of_series,
        "clinical:propose": of_series,
        "clinical:pending": of_series,
        "clinical:settings": of_series,
        "clinical:pending_confirm": {"pending_id": held[0].public_id},
        "clinical:pending_refuse": {"pending_id": held[1].public_id},
        "clinical:session": {"session_id": session.public_id},
        "clinical:session_owner": {"session_id": session.public_id},
        "clinical:follow_up": {"situation_id": presented.public_id},
        "clinical:log": {"situation_id": presented.public_id},
        "clinical:withdraw": {"situation_id": to_withdraw.public_id},
        **{
            f"clinical:{name}": {"situation_id": proposal.public_id}
            for name in ("situation", "edit", "rework", "choose", "present", "recommend")
        },
    }
