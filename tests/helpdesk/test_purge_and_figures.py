"""The purge of the situation's texts after closure, keeping the counts, and the figures."""

import datetime
import io

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from core.brussels import BRUSSELS
from helpdesk.models import HelpDesk, MessageKind, Outcome, Request
from helpdesk.selectors.figures import help_desk_figures, percentile
from helpdesk.services.requests import contact_record, message_post, request_close, request_take, requests_purge
from helpdesk.tasks import requests_purge_task

from ..factories.helpdesk import help_request

JAN = datetime.datetime(2026, 1, 12, 10, tzinfo=BRUSSELS)


def closed_request(sud, agent, operator, outcome=Outcome.ORIENTED, at=JAN):
    request = help_request(sud, at=at)
    with time_machine.travel(at + datetime.timedelta(days=1), tick=False):
        message_post(actor=agent, request=request, kind=MessageKind.NOTE, body="Une note de l'équipe")
        contact_record(actor=agent, request=request, operator=operator, result="agreed", note="Accord du SSM")
        request.refresh_from_db()
        request_close(actor=agent, request=request, outcome=outcome, version=request.version)
    return Request.objects.get(pk=request.pk)


def test_texts_are_purged_after_the_retention_period(sud, agent, operator):
    request = closed_request(sud, agent, operator)
    with time_machine.travel(JAN + datetime.timedelta(days=360), tick=False):
        assert requests_purge() == 0
    with time_machine.travel(JAN + datetime.timedelta(days=370), tick=False):
        assert requests_purge_task() == 1
        assert requests_purge() == 0  # twice is harmless
    request.refresh_from_db()
    assert request.purged_at is not None
    assert (request.situation, request.tried, request.contact_phone) == ("", "", "")
    assert list(request.messages.values_list("body", flat=True)) == [""]
    assert list(request.contacts.values_list("note", flat=True)) == [""]
    # The counts stay.
    assert (request.outcome, request.sectors, request.contacts.count()) == ("oriented", ["mental_health", "housing"], 1)


def test_the_period_is_a_setting_of_the_desk(sud, agent, operator):
    HelpDesk.objects.filter(bassin=sud).update(purge_months=1)
    closed_request(sud, agent, operator)
    with time_machine.travel(JAN + datetime.timedelta(days=40), tick=False):
        assert requests_purge() == 1


def test_open_requests_are_never_purged(sud, agent):
    help_request(sud, at=JAN)
    with time_machine.travel(JAN + datetime.timedelta(days=800), tick=False):
        assert requests_purge() == 0


def test_percentile():
    assert percentile([], 50) is None
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(11)), 90) == 9


def test_figures(sud, agent, operator, django_assert_num_queries):
    closed_request(sud, agent, operator, Outcome.CONCERTATION)  # answered after 1 working day, due in 2
    late = help_request(sud, at=JAN)
    with time_machine.travel(JAN + datetime.timedelta(days=8), tick=False):
        request_take(actor=agent, request=late, version=1)
        message_post(actor=agent, request=late, kind=MessageKind.MESSAGE, body="Nous regardons.")
    with django_assert_num_queries(1):
        figures = help_desk_figures(sud, now=JAN + datetime.timedelta(days=20))
    assert figures.total == 2
    assert figures.median_days == 3.5  # 1 and 6 working days
    assert figures.within_deadline == 0.5
    assert figures.concertations == 1
    assert figures.by_sector["Santé mentale"]["2026-01"] == 2
    assert "sans logement" not in str(figures.charts)


def test_the_export_has_the_months_and_the_delays(client, sud, agent, operator):
    closed_request(sud, agent, operator, Outcome.CONCERTATION)
    client.force_login(agent)
    response = client.get(reverse("helpdesk:figures_xlsx", kwargs={"slug": sud.slug}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Mois", "Demandes"]
    assert rows[1][:2] == ["2026-01", 1]
    assert ["Délai de première réponse, médiane (jours ouvrables)", 1] in [r[:2] for r in rows]
    assert not any("sans logement" in str(value) for row in rows for value in row)
