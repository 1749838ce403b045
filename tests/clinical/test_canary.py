"""The canary: a unique string planted in a vignette, an avenue, a follow-up and a held
text of the clinical series of the permission table must appear in no email (every
notification kind the scan makes over three weeks, the digest included), no export
(evaluation, registrations, map, a person's copy of their data), no calendar file, no
page of the portal other than the situation's own (every URL pattern, as a coordinator
of the series), and no log line."""

import datetime
import io
import logging
import zipfile

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bassins.exporters import edges_csv, graphml, nodes_csv
from bassins.selectors.network import MapFilters, network_build
from clinical import services
from clinical.models import FollowUp, PendingText, Recommendation, Situation
from core.request_cache import forget
from evaluations.exporters import EXPORTERS
from evaluations.exporters.document import document_data, export_document
from meetings.calendar import person_calendar, series_calendar, session_calendar, session_invitation
from meetings.models import CalendarFeed, Series, Session
from notifications.delivery import notification_render
from notifications.models import Notification
from notifications.registry import kinds
from notifications.scan import notifications_scan
from privacy.exports import person_data, person_data_zip
from registrations.exports import registrations_table

from ..conftest import login
from ..factories.clinical import clinical_session, situation_propose
from ..test_permissions import EXPECTED, POST_ONLY, url_kwargs  # noqa: F401 - url_kwargs is a fixture

CANARY = "CANARI-7f3a9c-situation"


def _plant(coordinator, member) -> Series:
    """The canary in every text of the table's clinical series, with a situation in each state
    the clinical emails speak of (proposed, rework asked, chosen, presented and awaiting feedback)."""
    series = Series.objects.get(name="Archipel (table)")
    forget(coordinator)
    clinical_session(series, days=20)
    meeting = clinical_session(series, days=30)
    rework, chosen = situation_propose(series, member), situation_propose(series, member)
    services.situation_rework_ask(actor=coordinator, situation=rework, version=0, message=f"{CANARY} à revoir")
    services.situation_choose(actor=coordinator, situation=chosen, version=0, session=meeting)
    situations = Situation.objects.filter(series=series)
    situations.update(life_context=f"{CANARY} contexte", tried=f"{CANARY} essais", question=f"{CANARY} ?")
    for situation in situations.exclude(session=None):
        Recommendation.objects.create(situation=situation, session=situation.session, text=f"{CANARY} piste")
        FollowUp.objects.create(situation=situation, session=situation.session, text=f"{CANARY} retour")
    PendingText.objects.filter(series=series).update(payload={"text": f"{CANARY} en attente"})
    return series


def _text_of(data: bytes) -> str:
    """The bytes as text, and the texts of every member when it is a zip (docx, xlsx, zip)."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return data.decode("utf-8", "replace")


def _emails() -> tuple[str, set[str]]:
    """Scan every six hours over three weeks; render every row made. Returns the texts and the kinds rendered."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    for hours in range(0, 21 * 24, 6):
        notifications_scan(now=start + datetime.timedelta(hours=hours))
    texts, rendered = [], set()
    for notification in Notification.objects.select_related("recipient"):
        message = notification_render(notification)
        if message is None:
            continue
        rendered.add(notification.kind)
        texts += [message.subject, message.body, *(str(alt[0]) for alt in message.alternatives)]
        texts += [_text_of(a[1]) if isinstance(a[1], bytes) else str(a[1]) for a in message.attachments]
    return " ".join(texts), rendered


def _exports(coordinator) -> dict[str, str]:
    out = {}
    for series in Series.objects.all():
        document = export_document(series, None)
        out[f"evaluation data {series.pk}"] = str(document_data(series, None))
        for fmt, exporter in EXPORTERS.items():
            if fmt != "pdf":  # the PDF is drawn from the same document, compressed
                out[f"evaluation {fmt} {series.pk}"] = _text_of(exporter(document).render())
        out[f"registrations {series.pk}"] = str(
            registrations_table(series=series, registrations=list(series.registrations.all()))
        )
    network = network_build(coordinator, MapFilters())
    out["map nodes"], out["map edges"], out["map graphml"] = (
        nodes_csv(network),
        edges_csv(network),
        _text_of(graphml(network)),
    )
    for user in User.objects.all():
        out[f"person data {user.pk}"] = str(person_data(user)) + _text_of(person_data_zip(user))
    return out


def _calendars() -> dict[str, str]:
    out = {}
    for session in Session.objects.select_related("series", "host_operator"):
        out[f"session {session.pk}"] = _text_of(session_calendar(session))
        out[f"invitation {session.pk}"] = _text_of(
            session_invitation(session, method="REQUEST", attendee="a@example.org")
        )
    for series in Series.objects.all():
        out[f"series {series.pk}"] = _text_of(series_calendar(series))
    for feed in CalendarFeed.objects.all():
        out[f"feed {feed.pk}"] = _text_of(person_calendar(feed))
    return out


def _pages(client, kwargs) -> dict[str, str]:
    out = {}
    for name in EXPECTED:
        if name in POST_ONLY or name.startswith("clinical:"):
            continue
        response = client.get(reverse(name, kwargs=kwargs.get(name)))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out[name] = _text_of(body) + str(response.headers)
    return out


def test_the_canary_appears_nowhere_but_on_the_situations_pages(
    client,
    url_kwargs,  # noqa: F811
    coordinator,
    member,
    other_member,
    other_coordinator,
    caplog,  # noqa: F811
):
    caplog.set_level(logging.DEBUG)
    series = _plant(coordinator, member)
    CalendarFeed.objects.get_or_create(user=coordinator)
    CalendarFeed.objects.get_or_create(user=member)
    assert Situation.objects.filter(series=series, question__contains=CANARY).exists()

    emails, rendered = _emails()
    exports = _exports(coordinator)
    calendars = _calendars()
    pages = _pages(login(client, coordinator), url_kwargs)
    own = client.get(reverse("clinical:situation", kwargs=url_kwargs["clinical:situation"]))

    leaks = [name for name, text in {**exports, **calendars, **pages}.items() if CANARY in text]
    assert CANARY not in emails, "an email carries the canary"
    assert not leaks, f"the canary leaks into: {leaks}"
    assert CANARY not in caplog.text, "a log line carries the canary"
    assert CANARY in own.content.decode()  # it was planted where it belongs
    registered = {kind.code for kind in kinds()}
    print(
        f"\ncanary: {len(rendered)} of {len(registered)} notification kinds rendered "
        f"({sorted(registered - rendered)} not made by the scan over three weeks), "
        f"{len(exports)} exports, {len(calendars)} calendar files, {len(pages)} pages, "
        f"{len(caplog.records)} log records"
    )
    assert {k for k in registered if k.startswith("situation_")} | {"digest"} <= rendered
