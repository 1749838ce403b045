"""The help desk's canary: a unique string planted in a request's situation texts, its
messages (question, answer, internal note) and a contact's note must appear in no email
(the requester's emails and every notification kind the scan makes over three weeks, the
digest included), no export, no calendar file, no page of the portal other than the
request's own (every URL pattern, as the help-desk team member and as the requester),
and no log line."""

import logging
import zipfile

from django.core import mail
from django.urls import reverse

from core.request_cache import forget
from helpdesk.models import ContactMade, MessageKind, Request, RequestMessage
from helpdesk.services.requests import contact_record, message_post, request_take
from meetings.models import CalendarFeed

from ..clinical.test_canary import _calendars, _emails, _exports
from ..clinical.test_canary import _text_of as _archive_text
from ..conftest import login
from ..test_permissions import EXPECTED, POST_ONLY, url_kwargs  # noqa: F401 - url_kwargs is a fixture

CANARY = "CANARI-5d81e2-demande"
OWN_PAGE = "helpdesk:request"


def _plant(team_member, requester, operator) -> Request:
    """The canary in every text of the table's request, written through the services (so
    that their emails are sent), then in its situation's texts."""
    request = Request.objects.get(requester=requester)
    request = request_take(actor=team_member, request=request, version=request.version)
    message_post(actor=team_member, request=request, kind=MessageKind.QUESTION, body=f"{CANARY} question")
    request.refresh_from_db()
    message_post(actor=requester, request=request, kind=MessageKind.ANSWER, body=f"{CANARY} réponse")
    request.refresh_from_db()
    message_post(actor=team_member, request=request, kind=MessageKind.NOTE, body=f"{CANARY} note interne")
    contact_record(actor=team_member, request=request, operator=operator, result="agreed", note=f"{CANARY} contact")
    Request.objects.filter(pk=request.pk).update(
        situation=f"{CANARY} situation", tried=f"{CANARY} essais", services_involved=f"{CANARY} services"
    )
    return request


def _text_of(data: bytes) -> str:
    """The text of a page or a download (the members of a zip: xlsx, docx)."""
    try:
        return _archive_text(data)
    except zipfile.BadZipFile:
        return data.decode("utf-8", "replace")


def _pages(client, kwargs, person) -> dict[str, str]:
    forget(person)
    login(client, person)
    out = {}
    for name in EXPECTED:
        if name in POST_ONLY or name == OWN_PAGE:
            continue
        response = client.get(reverse(name, kwargs=kwargs.get(name)))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out[f"{name} as {person.name}"] = _text_of(body) + str(response.headers)
    return out


def test_the_canary_appears_nowhere_but_on_the_requests_page(
    client,
    url_kwargs,  # noqa: F811
    referent,
    member,
    coordinator,
    operator,
    caplog,
    django_capture_on_commit_callbacks,
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        request = _plant(referent, member, operator)
    assert RequestMessage.objects.filter(request=request, body__contains=CANARY).count() == 3
    assert ContactMade.objects.filter(request=request, note__contains=CANARY).exists()
    CalendarFeed.objects.get_or_create(user=referent)
    CalendarFeed.objects.get_or_create(user=member)
    sent = " ".join(f"{m.subject} {m.body} {[a[0] for a in m.alternatives]}" for m in mail.outbox)

    emails, rendered = _emails()
    exports = _exports(coordinator)
    calendars = _calendars()
    pages = {**_pages(client, url_kwargs, referent), **_pages(client, url_kwargs, member)}
    own = client.get(reverse(OWN_PAGE, kwargs=url_kwargs[OWN_PAGE]))

    leaks = [name for name, text in {**exports, **calendars, **pages}.items() if CANARY in text]
    assert mail.outbox, "the requester was told of the changes"
    assert CANARY not in sent, "an email to the requester carries the canary"
    assert CANARY not in emails, "a notification carries the canary"
    assert not leaks, f"the canary leaks into: {leaks}"
    assert CANARY not in caplog.text, "a log line carries the canary"
    assert CANARY in own.content.decode()  # it was planted where it belongs
    assert "helpdesk_overdue" in rendered  # the owner's reminder was made and rendered
    print(
        f"\nhelp-desk canary: {len(mail.outbox)} emails to the requester, {len(rendered)} notification kinds "
        f"rendered, {len(exports)} exports, {len(calendars)} calendar files, {len(pages)} pages"
    )
