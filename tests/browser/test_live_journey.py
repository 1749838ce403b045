"""A coordinator runs a session live and publishes its minutes; a member of a
participating operator then reads them. Plus the concurrency of two clients
saving the same minutes (no browser needed)."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Action, AgendaItem, Attendance, CooperationNeed, Decision, Minutes, Session
from meetings.services.minutes import session_end

from ..factories import PASSWORD
from ..factories.minutes import session_under_way
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, user) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email, PASSWORD)


def test_a_coordinator_runs_the_meeting_and_publishes_the_minutes(
    page, live_server, series, coordinator, operator, member
):
    session = session_under_way(series, minutes_ago=5)
    opening = session.agenda_items.order_by("position").first()
    live_url = f"/series/sessions/{session.public_id}/live/"

    _as(page, coordinator)
    visit(page, f"/series/sessions/{session.public_id}/")
    page.get_by_role("link", name="Mener la réunion en direct").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.url.endswith(live_url)

    # The first item starts: its timer runs against its five minutes.
    page.get_by_role("button", name="Commencer le premier point").click()
    timer = page.locator("[data-live-timer]")
    expect(timer).to_be_visible()
    expect(timer.locator("[data-elapsed]")).to_have_text(re.compile(r"^\d+:\d\d$"))
    expect(page.locator("[aria-current=step]")).to_contain_text("Ouverture")
    # The keyboard reaches "next item" right after the swap.
    expect(page.get_by_role("button", name="Point suivant")).to_be_focused()

    # Attendance, saved at once.
    page.get_by_label("Présence : Canopée", exact=True).select_option("present")
    expect(page.locator(f"#att-status-{operator.pk}")).to_have_text("Enregistré")
    page.get_by_label("Présence : Olivier Marchal (Canopée)").select_option("excused")
    expect(page.locator(f"#att-status-{operator.pk}-{member.pk}")).to_have_text("Enregistré")

    # Notes are saved as the coordinator types.
    notes = page.get_by_label("Notes : Ouverture")
    notes.click()
    notes.press_sequentially("Accueil de Pléiade dans le pilote.", delay=5)
    expect(page.locator(f"#notes-meta-{opening.pk}")).to_contain_text("Enregistré à")
    opening.refresh_from_db()
    assert opening.notes == "Accueil de Pléiade dans le pilote."

    # A decision, an action and a need, without leaving the page.
    page.locator("[name=decision-text]").fill("Tester une ligne d'appel commune en octobre.")
    page.get_by_role("button", name="Ajouter la décision").click()
    expect(page.locator("#live-decisions")).to_contain_text("Tester une ligne d'appel commune en octobre.")
    page.locator("[name=action-description]").fill("Envoyer la liste des lits disponibles")
    page.locator("[name=action-owner_operator]").select_option(str(operator.pk))
    page.locator("[name=action-owner_user]").select_option(str(member.pk))
    page.locator("[name=action-due_date]").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Ajouter l’action").click()
    expect(page.locator("#live-actions")).to_contain_text("Envoyer la liste des lits disponibles")
    page.get_by_role("button", name="Ajouter le besoin").click()  # empty: a field error in French
    expect(page.locator("#live-needs")).to_contain_text("Ce champ est obligatoire.")
    page.locator("[name=need-title]").fill("Lits de crise pour adolescents")
    page.locator("[name=need-raised_by]").select_option(str(operator.pk))
    page.locator("[name=need-themes]").fill("continuité des soins, hébergement")
    page.get_by_role("button", name="Ajouter le besoin").click()
    expect(page.locator("#live-needs")).to_contain_text("Lits de crise pour adolescents")
    axe_check(page)
    screenshot(page, "live-session")
    assert Decision.objects.count() == Action.objects.count() == CooperationNeed.objects.count() == 1
    assert Attendance.objects.filter(session=session).count() == 2

    # An item over its timebox is shown and announced once.
    AgendaItem.objects.filter(pk=opening.pk).update(started_at=timezone.now() - datetime.timedelta(minutes=6))
    visit(page, live_url)
    expect(page.locator("[data-overrun-badge]")).to_be_visible()
    expect(page.locator("#live-announcer")).to_contain_text("Le temps prévu pour « Ouverture » est écoulé")

    # End of the meeting: the minutes are drafted.
    page.get_by_role("button", name="Terminer la réunion").click()
    page.wait_for_load_state()
    axe_check(page)
    session.refresh_from_db()
    assert session.status == Session.Status.HELD
    expect(page.locator("[data-minutes-status]")).to_have_text("Brouillon")
    expect(page.locator("main")).to_contain_text("Accueil de Pléiade dans le pilote.")

    # The coordinator completes the summary, looks at the versions, approves and publishes.
    page.get_by_role("link", name="Modifier", exact=True).click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Notes générales").fill("Réunion courte, bonne participation.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Versions").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.locator("ins").first).to_contain_text("Réunion courte, bonne participation.")
    visit(page, f"/series/sessions/{session.public_id}/minutes/")
    page.get_by_role("button", name="Approuver").click()
    page.wait_for_load_state()
    expect(page.locator("[data-minutes-status]")).to_have_text("Approuvé")
    page.get_by_role("button", name="Publier").click()
    page.wait_for_load_state()
    axe_check(page)
    expect(page.locator("[data-minutes-status]")).to_have_text("Publié")
    assert Minutes.objects.get(session=session).published_at is not None

    # A member of the participating operator reads the published minutes.
    _as(page, member)
    visit(page, f"/series/sessions/{session.public_id}/")
    page.get_by_role("link", name="Lire le compte rendu").click()
    page.wait_for_load_state()
    axe_check(page)
    main = page.locator("main")
    expect(main).to_contain_text("Réunion courte, bonne participation.")
    expect(main).to_contain_text("Tester une ligne d'appel commune en octobre.")
    expect(main).to_contain_text("Envoyer la liste des lits disponibles")
    expect(page.get_by_role("button", name="Approuver")).to_have_count(0)
    screenshot(page, "published-minutes")


def test_two_clients_saving_the_same_minutes_lose_nothing(series, coordinator, admin_user):
    """Two coordinators open the minutes; the second to save sees a conflict with both texts."""
    session = session_under_way(series, minutes_ago=70)
    session_end(actor=coordinator, session=session)
    item = session.agenda_items.order_by("position").first()
    url = f"/series/sessions/{session.public_id}/minutes/edit/"
    first, second = Client(), Client()
    first.force_login(coordinator)
    second.force_login(admin_user)

    def loaded(client):
        form = client.get(url).context["form"]
        return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}

    a, b = loaded(first), loaded(second)
    assert first.post(url, a | {f"notes_{item.pk}": "Texte de Claire"}).status_code == 302
    response = second.post(url, b | {f"notes_{item.pk}": "Texte d'Alex"})
    html = response.content.decode()
    assert response.status_code == 200 and "Conflit de modification" in html
    assert "Texte de Claire" in html and "Texte d&#x27;Alex" in html
    item.refresh_from_db()
    assert item.notes == "Texte de Claire"
    assert response.context["form"][f"notes_{item.pk}"].value() == "Texte d'Alex"
