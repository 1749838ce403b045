"""Clinical situations as the Archipel group meets them: a participant proposes a
situation, the guard stops a name, a national register number and a phone number,
they rephrase and submit; the carrier group chooses two for the next meeting; at the
meeting the facilitator notes avenues; at the next meeting the presenter gives a brief
follow-up; a new charter version closes the situation (404) to who has not accepted it,
as to a member of another series; an admin reads the access log."""

import pytest

from clinical.models import Situation
from core.request_cache import forget

from ..factories import PASSWORD
from ..factories.charter import charter_publish_version
from ..factories.clinical import clinical_series, clinical_session, situation_propose
from .conftest import axe_check, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NISS = "85.07.30-033.28"
PHONE = "0471 23 45 67"
NAME = "Kevin Lambert"


def _as(page, user) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email, PASSWORD)


def _submit(page, selector: str = "main form button[type=submit]") -> None:
    page.locator(selector).click()
    page.wait_for_load_state()
    axe_check(page)


def test_propose_guard_choose_note_follow_up_and_the_gates(
    page, live_server, coordinator, operator, member, other_member, admin_user
):
    series = clinical_series(coordinator, operator, member)
    meeting = clinical_session(series, days=7)
    clinical_session(series, days=70)
    other = situation_propose(series, member, question="Comment soutenir la famille en attendant ?")

    # The participant proposes; the guard stops the name, the NISS and the phone number, the text stays.
    _as(page, member)
    visit(page, f"/series/{series.public_id}/")
    page.get_by_role("link", name="Situations cliniques").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Proposer une situation").click()
    page.wait_for_load_state()
    axe_check(page)
    page.select_option("[name=age_range]", "12-17")
    page.fill(
        "[name=life_context]", f"Jeune de 15 ans, {NAME} (NISS {NISS}), sa mère joignable au {PHONE}, déscolarisé."
    )
    page.fill("[name=tried]", "Suivi en SSM, médiation familiale.")
    page.fill("[name=question]", "Comment garder le lien ?")
    _submit(page)
    assert page.locator("mark", has_text=NISS).is_visible() and page.locator("mark", has_text=PHONE).is_visible()
    assert page.locator("mark", has_text=NAME).is_visible()
    assert NISS in page.locator("[name=life_context]").input_value()
    assert Situation.objects.count() == 1
    page.fill("[name=life_context]", "Jeune de 15 ans, vit avec sa mère, déscolarisé depuis trois mois.")
    _submit(page)
    situation = Situation.objects.exclude(pk=other.pk).get()
    assert page.get_by_text("déscolarisé depuis trois mois").is_visible()

    # The carrier group chooses both for the next meeting.
    _as(page, coordinator)
    for chosen in (situation, other):
        visit(page, f"/clinical/situations/{chosen.public_id}/")
        page.locator("[name=session]").select_option(str(meeting.pk))
        _submit(page, "form[action$='/choose/'] button[type=submit]")
    visit(page, f"/clinical/meetings/{meeting.public_id}/")
    assert page.get_by_role("heading", name="Situation 2").is_visible()

    # At the meeting, the facilitator notes an avenue (non-decisional).
    visit(page, f"/clinical/situations/{situation.public_id}/avenues/")
    page.fill("[name=text]", "Piste : une rencontre avec l'école et l'équipe mobile.")
    _submit(page)
    assert page.get_by_text("Piste : une rencontre avec l'école").is_visible()

    # At the next meeting, the presenter gives a brief follow-up.
    _as(page, member)
    visit(page, f"/clinical/situations/{situation.public_id}/follow-up/")
    page.fill("[name=text]", "La rencontre a eu lieu ; reprise de l'école à mi-temps.")
    _submit(page)
    assert page.get_by_text("reprise de l'école à mi-temps").is_visible()

    # A new charter version: the participant who has not accepted it gets a 404, as does another series' member.
    charter_publish_version(series, coordinator, title="Charte v2")
    forget(member)
    assert page.goto(f"/clinical/situations/{situation.public_id}/").status == 404
    _as(page, other_member)
    assert page.goto(f"/clinical/situations/{situation.public_id}/").status == 404

    # An admin reads the access log: who, when, what — never a text.
    _as(page, admin_user)
    visit(page, "/clinical/log/")
    assert page.get_by_text(member.name).first.is_visible()
    assert "déscolarisé" not in page.content()
