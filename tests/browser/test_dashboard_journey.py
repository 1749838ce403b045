"""The home page's dashboards: a member sees their next session and its info
round and closes their operator's action; a coordinator sees the preparation."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Action, InfoRoundEntry
from meetings.services.agenda import agenda_apply, agenda_template_ensure

from ..factories import PASSWORD, SessionFactory
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, user) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email, PASSWORD)


def test_member_and_coordinator_dashboards(page, live_server, series, operator, member, coordinator):
    # A session in two days: its info round is open; an action of the operator is overdue.
    starts_at = (timezone.now() + datetime.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    session = SessionFactory(series=series, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1))
    agenda_apply(sessions=[session], template=agenda_template_ensure(series=series))
    past = SessionFactory(
        series=series,
        starts_at=starts_at - datetime.timedelta(days=14),
        ends_at=starts_at - datetime.timedelta(days=14, hours=-1),
        status="held",
    )
    action = Action.objects.create(
        series=series,
        session=past,
        description="Transmettre le calendrier des permanences",
        owner_operator=operator,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )

    # The member sees the next session, its agenda and the info round to fill.
    _as(page, member)
    visit(page, "/")
    member_part = page.get_by_role("region", name="Pour mon opérateur")
    assert series.name in member_part.inner_text()
    assert "Tour de table des opérateurs" in member_part.inner_text()  # an agenda item
    assert "À remplir" in member_part.inner_text()
    fill = page.get_by_role("link", name="Remplir le tour de table")
    assert fill.count() == 1
    screenshot(page, "dashboard-member")
    fill.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/sessions/{session.public_id}/info-round/operators/{operator.slug}/")
    axe_check(page)

    # …and closes the overdue action of their operator from the dashboard.
    visit(page, "/")
    row = page.get_by_role("row").filter(has_text="Transmettre le calendrier des permanences")
    assert "En retard" in row.inner_text()
    row.locator("summary").click()
    row.get_by_label("Commentaire (facultatif)").fill("Calendrier envoyé à tous les opérateurs.")
    row.get_by_role("button", name="Clôturer l'action").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"
    axe_check(page)
    action.refresh_from_db()
    assert (action.status, action.close_comment) == ("done", "Calendrier envoyé à tous les opérateurs.")
    assert "Votre opérateur n'a aucune action en cours." in page.content()

    # The coordinator sees the preparation of the next session: nobody has answered yet.
    _as(page, coordinator)
    visit(page, "/")
    prep = page.get_by_role("region", name="Préparation des prochaines séances")
    assert series.name in prep.inner_text() and "0/1 reçus" in prep.inner_text()
    assert "6 points, 60 min" in prep.inner_text()
    screenshot(page, "dashboard-coordinator")
    prep.get_by_role("link", name="Voir qui a répondu").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/sessions/{session.public_id}/info-round/board/")
    axe_check(page)
    assert not InfoRoundEntry.objects.exists()


def test_the_demo_dashboards_pass_axe(page, live_server):
    """The demo season fills every block of both dashboards: each must stay accessible."""
    from django.core.management import call_command

    from devtools.demo import DEMO_PASSWORD

    call_command("seed_demo")
    for email in ("isabelle.henrard@beauvallon.example", "claire.dubois@pfcsm.example"):
        page.context.clear_cookies()
        sign_in(page, email, DEMO_PASSWORD)
        visit(page, "/")
        screenshot(page, f"dashboard-demo-{email.split('.')[0]}")
    assert "Comptes rendus en attente" in page.content()
