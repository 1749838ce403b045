"""Minutes approved at the next session: provisional minutes, corrections
proposed per agenda item, the approval item of the next session ticked live,
"approved on <date>" as a new version, provisional minutes marked on the series page."""

import datetime
import html

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats

from core.brussels import BRUSSELS
from meetings.models import AgendaItemKind, Minutes, MinutesCorrection
from meetings.services import agenda as agenda_services
from meetings.services.corrections import minutes_correction_propose
from meetings.services.minutes import minutes_approve_at_session, minutes_transition

from ..conftest import login
from ..factories.minutes import held_session, provisional_session


def page(client, url) -> str:
    return html.unescape(client.get(url).content.decode())


@pytest.fixture
def provisional(series, coordinator):
    return provisional_session(series, coordinator)


def test_published_minutes_are_provisional_and_the_next_agenda_approves_them(provisional):
    session, minutes, following = provisional
    assert minutes.status == Minutes.Status.PUBLISHED and minutes.provisional
    first = following.agenda_items.order_by("position", "pk").first()
    assert first.kind == AgendaItemKind.MINUTES_APPROVAL and first.minutes_to_approve == minutes
    day = formats.date_format(session.starts_at.astimezone(BRUSSELS).date(), "j F Y")
    assert first.title == f"Approbation du compte rendu du {day}"


def test_in_such_a_series_coordinators_do_not_approve_alone(series, coordinator, provisional):
    series.minutes_approved_at_next_session = True
    series.save()
    _session, minutes = held_session(series, coordinator)
    with pytest.raises(ValidationError):
        minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=minutes.version)


def test_other_series_keep_their_flow_and_no_provisional_minutes(series, coordinator):
    _session, minutes = held_session(series, coordinator)
    minutes = minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=minutes.version)
    minutes = minutes_transition(actor=coordinator, minutes=minutes, to="published", version=minutes.version)
    assert not minutes.provisional and not minutes.approval_items.exists()


def test_a_participant_proposes_a_correction_on_an_item(client, provisional, member, coordinator, other_member):
    session, minutes, _following = provisional
    item = session.agenda_items.order_by("position").first()
    url = reverse("meetings:minutes_correction_add", args=[session.public_id])
    login(client, member)
    refused = client.post(url, {"agenda_item": item.pk, "text": "  "})
    assert refused.status_code == 400 and "text" in refused.context["correction_form"].errors
    client.post(url, {"agenda_item": item.pk, "text": "Polaris était excusé, pas absent."})
    correction = MinutesCorrection.objects.get()
    assert (correction.agenda_item, correction.author, correction.status) == (item, member, "proposed")
    minutes_correction_propose(actor=coordinator, minutes=minutes, text="Coquille au point 3.")
    detail = reverse("meetings:minutes_detail", args=[session.public_id])
    own = page(client, detail)
    assert "Polaris était excusé" in own and "Coquille au point 3." not in own  # their own only
    assert "Provisoire" in own
    everyone = page(login(client, coordinator), detail)
    assert "Polaris était excusé" in everyone and "Coquille au point 3." in everyone


def test_corrections_close_when_the_next_session_starts(provisional, member):
    _session, minutes, following = provisional
    with time_machine.travel(following.starts_at, tick=False), pytest.raises(ValidationError):
        minutes_correction_propose(actor=member, minutes=minutes, text="Trop tard.")


def test_an_item_of_another_session_is_refused(client, provisional, member):
    session, _minutes, following = provisional
    other_item = following.agenda_items.exclude(kind=AgendaItemKind.MINUTES_APPROVAL).first()
    response = login(client, member).post(
        reverse("meetings:minutes_correction_add", args=[session.public_id]),
        {"agenda_item": other_item.pk, "text": "Ailleurs."},
    )
    assert response.status_code == 400 and "Ailleurs." in html.unescape(response.content.decode())
    assert not MinutesCorrection.objects.exists()


def test_the_coordinator_approves_them_live_with_each_correction_decided(client, provisional, member, coordinator):
    session, minutes, following = provisional
    kept = minutes_correction_propose(actor=member, minutes=minutes, text="Ajouter : Canopée saturée.")
    dropped = minutes_correction_propose(actor=member, minutes=minutes, text="Supprimer le point 2.")
    item = following.agenda_items.get(kind=AgendaItemKind.MINUTES_APPROVAL)
    url = reverse("meetings:live_minutes_approve", args=[following.public_id, item.pk])
    with time_machine.travel(following.starts_at + datetime.timedelta(minutes=5), tick=False):
        login(client, coordinator)
        live = page(client, reverse("meetings:session_live", args=[following.public_id]))
        assert item.title in live and "Ajouter : Canopée saturée." in live
        client.post(url, {f"correction_{kept.pk}": "accepted"})  # one left undecided: refused
        minutes.refresh_from_db()
        assert minutes.provisional
        client.post(url, {f"correction_{kept.pk}": "accepted", f"correction_{dropped.pk}": "declined"})
    minutes.refresh_from_db()
    assert not minutes.provisional and minutes.approved_in == following and minutes.approved_by == coordinator
    assert {c.pk: c.status for c in minutes.corrections.all()} == {kept.pk: "accepted", dropped.pk: "declined"}
    latest = minutes.revisions.order_by("-number").first()
    assert latest.content["corrections_accepted"] == [{"item": "", "text": "Ajouter : Canopée saturée."}]
    item.refresh_from_db()
    assert item.ended_at is not None
    shown = page(login(client, member), reverse("meetings:minutes_detail", args=[session.public_id]))
    assert "Approuvé le" in shown and "Provisoire" not in shown and "Supprimer le point 2." in shown


def test_approval_is_refused_before_the_session_runs(provisional, coordinator):
    _session, _minutes, following = provisional
    item = following.agenda_items.get(kind=AgendaItemKind.MINUTES_APPROVAL)
    with pytest.raises(ValidationError):
        minutes_approve_at_session(actor=coordinator, item=item, decisions={})


def test_the_series_page_shows_which_minutes_are_provisional(client, provisional, member, coordinator):
    session, minutes, following = provisional
    url = reverse("meetings:series_detail", args=[session.series.public_id])
    assert "Compte rendu provisoire" in page(login(client, member), url)
    item = following.agenda_items.get(kind=AgendaItemKind.MINUTES_APPROVAL)
    minutes_approve_at_session(
        actor=coordinator, item=item, decisions={}, now=following.starts_at + datetime.timedelta(minutes=1)
    )
    assert "Compte rendu provisoire" not in page(client, url)


def test_a_new_template_version_keeps_the_approval_item(provisional, coordinator):
    _session, _minutes, following = provisional
    template = agenda_services.agenda_template_ensure(series=following.series)
    agenda_services.agenda_apply(sessions=[following], template=template, replace=True)
    assert following.agenda_items.filter(kind=AgendaItemKind.MINUTES_APPROVAL).count() == 1


def test_when_no_session_follows_the_coordinators_approve_as_usual(client, series, coordinator):
    series.minutes_approved_at_next_session = True
    series.save()
    session, minutes = held_session(series, coordinator)
    body = page(login(client, coordinator), reverse("meetings:minutes_detail", args=[session.public_id]))
    assert "Publier comme provisoire" in body and "Approuver" in body
    minutes = minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=minutes.version)
    minutes = minutes_transition(actor=coordinator, minutes=minutes, to="published", version=minutes.version)
    assert not minutes.provisional and minutes.approved_at
