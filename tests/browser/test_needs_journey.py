"""Another operator says "nous aussi" and the need converges; an action of a
past session is carried onto the next session's follow-up until its owner
closes it from the register."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Action, NeedStage
from meetings.services.actions import action_record
from meetings.services.needs import need_raise

from ..factories import PASSWORD, SessionFactory
from ..factories.needs import take_part
from .conftest import axe_check, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, user) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email, PASSWORD)


def test_need_converges_and_action_is_followed_until_closed(
    page, live_server, series, operator, other_operator, member, other_member, coordinator
):
    take_part(series, other_operator)
    now = timezone.now().replace(microsecond=0)
    past = SessionFactory(series=series, starts_at=now - datetime.timedelta(days=7))
    following = SessionFactory(series=series, starts_at=now + datetime.timedelta(days=7))
    need = need_raise(
        actor=member,
        series=series,
        operator=operator,
        title="Lits de crise pour adolescents",
        themes=["Crise"],
        session=past,
    )
    action = action_record(
        actor=coordinator,
        session=past,
        description="Recenser les lits disponibles la nuit",
        owner_operator=operator,
        due_date=timezone.localdate() + datetime.timedelta(days=3),
    )

    # The referent of Polaris opens Canopée's need and says "nous aussi".
    _as(page, other_member)
    visit(page, f"/series/needs/{need.public_id}/")
    assert page.locator("#need-stage").inner_text() == "Émergent"
    page.get_by_role("button", name="Nous aussi").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.locator("#need-stage").inner_text() == "Convergent"
    assert page.get_by_text("Polaris partage ce besoin").is_visible()
    need.refresh_from_db()
    assert need.stage == NeedStage.CONVERGING

    # The convergence board shows it in the converging column.
    visit(page, "/series/needs/")
    assert page.locator("section[aria-labelledby=stage-converging]").get_by_text(need.title).is_visible()

    # A member of Canopée sees the action under the follow-up of the next session…
    _as(page, member)
    visit(page, f"/series/sessions/{following.public_id}/")
    followup = page.locator("#followup-actions")
    assert followup.get_by_text(action.description, exact=True).is_visible()

    # …and closes it from the register with a comment.
    visit(page, "/series/actions/")
    page.locator(f"#action-{action.public_id}").get_by_role("link", name="Clôturer").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Fait").check()
    page.get_by_label("Commentaire").fill("Liste envoyée à tous les opérateurs")
    page.get_by_role("button", name="Clôturer l'action").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.url.endswith("/series/actions/")
    assert page.get_by_text("L'action est clôturée.").is_visible()
    assert page.locator(f"#action-{action.public_id}").get_by_text("Liste envoyée à tous les opérateurs").is_visible()
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.closed_by == member

    # It is no longer carried onto the next session.
    visit(page, f"/series/sessions/{following.public_id}/")
    assert page.get_by_text(action.description).count() == 0
    assert page.get_by_text("Aucune action en cours issue des séances précédentes.").is_visible()


def test_coordinator_pages_pass_axe(page, live_server, series, operator, member, coordinator):
    past = SessionFactory(series=series, starts_at=timezone.now() - datetime.timedelta(days=7))
    need = need_raise(actor=member, series=series, operator=operator, title="Relais le week-end", session=past)
    action_record(actor=coordinator, session=past, description="Appeler le CPAS", owner_operator=operator, need=need)
    _as(page, coordinator)
    visit(page, f"/series/{series.public_id}/")
    assert page.get_by_text("Pris en charge : 1").is_visible()
    visit(page, f"/series/decisions/?series={series.public_id}")
    visit(page, f"/series/actions/?series={series.public_id}&overdue=on")
    visit(page, f"/series/sessions/{past.public_id}/")
    visit(page, f"/series/needs/{need.public_id}/")
    page.get_by_role("button", name="Clôturer le besoin").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.locator("#need-stage").inner_text() == "Clôturé"
    visit(page, f"/series/{series.public_id}/needs/new/")
    page.get_by_label("Titre").fill("Accès aux soins la nuit")
    page.get_by_label("Thèmes").fill("Nuit, Crise")
    page.get_by_role("button", name="Soulever le besoin").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.locator("h1").inner_text() == "Accès aux soins la nuit"
    visit(page, f"/series/needs/?series={series.public_id}")
    page.get_by_text("Clôturés ou abandonnés").click()
    axe_check(page)
