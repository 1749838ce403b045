"""The info round from both sides: an operator member fills it (draft, reload,
submit) and the coordinator sees it on the board and in the compiled round;
then the coordinator publishes a new version of the meeting ritual and a
session to come follows it."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import AgendaTemplate, InfoRoundEntry
from meetings.services import agenda as agenda_services

from ..factories import PASSWORD, SessionFactory
from .conftest import axe_check, screenshot, sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, user) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email, PASSWORD)


def _click(page, locator) -> None:
    locator.click()
    page.wait_for_load_state()
    axe_check(page)


def _session(series, days):
    start = (timezone.now() + dt.timedelta(days=days)).replace(second=0, microsecond=0)
    session = SessionFactory(series=series, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    agenda_services.agenda_apply(sessions=[session], template=agenda_services.agenda_template_ensure(series=series))
    return session


def test_an_operator_fills_the_info_round_and_the_coordinator_follows(page, series, operator, member, coordinator):
    next_session = _session(series, days=2)  # its info round opened yesterday
    later_session = _session(series, days=9)

    # Later sessions: the info round is not open yet.
    _as(page, member)
    visit(page, f"/series/sessions/{later_session.public_id}/info-round/operators/canopee/")
    page.get_by_text("Le tour de table ouvre le").wait_for()

    # The member opens the info round of the next session from its page.
    visit(page, f"/series/sessions/{next_session.public_id}/")
    _click(page, page.get_by_role("link", name="Remplir le tour de table de Canopée"))
    news = page.get_by_label("Nouvelles du service")
    capacity = page.get_by_label("Capacité, disponibilités et délais")
    text = "Deux nouvelles collègues dans l'équipe mobile."
    news.fill(text)
    capacity.fill("Délai d'attente : deux semaines.")
    page.get_by_text(f"{len(text)} / 500 caractères (encore {500 - len(text)})").wait_for()  # the live counter
    _click(page, page.get_by_role("button", name="Enregistrer le brouillon"))
    page.get_by_text("Votre brouillon a été enregistré.").wait_for()

    page.reload()
    axe_check(page)
    assert page.get_by_label("Nouvelles du service").input_value() == "Deux nouvelles collègues dans l'équipe mobile."
    assert page.get_by_label("Capacité, disponibilités et délais").input_value() == "Délai d'attente : deux semaines."
    page.get_by_text("Dernière modification par Olivier Marchal").wait_for()
    _click(page, page.get_by_role("button", name="Envoyer le tour de table"))
    page.get_by_text("Votre tour de table a été envoyé. Merci !").wait_for()
    entry = InfoRoundEntry.objects.get()
    assert entry.status == "submitted" and not entry.is_late

    # The coordinator sees it submitted on the board and in the compiled round.
    _as(page, coordinator)
    visit(page, f"/series/{series.public_id}/")
    _click(page, page.get_by_role("link", name="Suivi des réponses de la prochaine séance"))
    row = page.get_by_role("row", name="Canopée")
    assert "Envoyé" in row.inner_text() and "Olivier Marchal" in row.inner_text()
    _click(page, page.get_by_role("link", name="Tour de table compilé"))
    screenshot(page, "inforound_compiled")
    card = page.get_by_role("article", name="Canopée")
    assert "Deux nouvelles collègues dans l'équipe mobile." in card.inner_text()
    assert "Délai d'attente : deux semaines." in card.inner_text()

    # …and publishes a second version of the meeting ritual.
    visit(page, f"/series/{series.public_id}/")
    _click(page, page.get_by_role("link", name="Ordre du jour type et questions du tour de table"))
    _click(page, page.get_by_role("button", name="Préparer une nouvelle version"))
    _click(page, page.get_by_role("link", name="Ajouter un point"))
    page.get_by_label("Titre").fill("Situations cliniques complexes")
    page.get_by_label("Type de point").select_option("clinical")
    page.get_by_label("Durée prévue (minutes)").fill("20")
    _click(page, page.get_by_role("button", name="Enregistrer", exact=True))
    _click(page, page.get_by_role("button", name="Descendre « Divers »"))
    page.get_by_label("Ce qui a changé").fill("Les situations cliniques complexes rejoignent l'ordre du jour.")
    _click(page, page.get_by_role("button", name="Publier la version 2"))
    page.get_by_text("La version 2 est publiée. 1 séance à venir la suit désormais.").wait_for()
    page.get_by_text("Point ajouté : « Situations cliniques complexes » (20 min)").first.wait_for()
    assert AgendaTemplate.objects.get(series=series, version=2).status == "published"

    # The session to come follows it; the one whose info round started keeps its agenda.
    visit(page, f"/series/sessions/{later_session.public_id}/")
    agenda = page.get_by_role("region", name="Ordre du jour", exact=True)
    assert "Situations cliniques complexes" in agenda.inner_text()
    assert "D'après la version 2 de la conduite de réunion" in agenda.inner_text()
    visit(page, f"/series/sessions/{next_session.public_id}/")
    assert (
        "Situations cliniques complexes"
        not in page.get_by_role("region", name="Ordre du jour", exact=True).inner_text()
    )

    # The coordinator gives that session one more item, by hand.
    _click(page, page.get_by_role("link", name="Modifier l'ordre du jour"))
    _click(page, page.get_by_role("link", name="Ajouter un point"))
    page.get_by_label("Titre").fill("Invité : le service de santé mentale")
    page.get_by_label("Durée prévue (minutes)").fill("15")
    _click(page, page.get_by_role("button", name="Enregistrer", exact=True))
    page.get_by_text("Les durées prévues dépassent la durée de la séance de 15 minutes.").wait_for()
    screenshot(page, "session_agenda_edit")


def test_answers_sent_once_the_session_started_come_back_to_copy(page, series, operator, member):
    from meetings.models import Session

    session = _session(series, days=1)
    _as(page, member)
    visit(page, f"/series/sessions/{session.public_id}/info-round/operators/canopee/")
    text = "Deux lits libérés cette semaine."
    page.get_by_label("Nouvelles du service").fill(text)
    # Meanwhile, the session starts.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=1), ends_at=timezone.now() + dt.timedelta(hours=1)
    )
    _click(page, page.get_by_role("button", name="Envoyer le tour de table"))
    summary = page.locator("[data-error-summary]")
    assert "Rien n'a été enregistré." in summary.inner_text()
    assert "La séance a commencé" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    kept = page.get_by_role("region", name="Votre texte, non enregistré")
    assert kept.get_by_label("Nouvelles du service").input_value() == text
    assert kept.get_by_label("Nouvelles du service").get_attribute("readonly") is not None
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    kept.get_by_role("button", name="Copier mon texte").click()
    kept.get_by_text("Copié : collez-le où vous en avez besoin.").wait_for()
    assert text in page.evaluate("navigator.clipboard.readText()")
    screenshot(page, "inforound_refused_after_start")
    assert not InfoRoundEntry.objects.exists()
