"""Hostile input on every form and every POST endpoint: never a 500.

The URL patterns are those of the permission tables (tests/test_permissions.py
and the area tables it reads), with their objects and personas. For each area:

- the pages a permitted persona may open are read, and every form they hold
  (`action`, or `data-hx-post` with its `data-hx-vals`) gives the fields of
  its target as the page would send them;
- every URL is posted each payload of PAYLOADS by the persona its table
  allows (or who saw the form), and one payload by a persona it refuses; a
  URL answering 405 to an empty body takes no POST and is left there;
- every page is opened with invalid UTF-8 and huge values in its query string.

Each request is undone after it (a savepoint), so that every payload meets
the same objects whatever the one before it changed. Every response is
collected (the client does not raise), then the test fails once, listing
every 500 with the line of Carrefour's code it came from. A session under
way and an open info round get the same treatment, as do allauth's account
pages for anonymous and signed-in visitors. Every view that reads `next` is
tried with a `next` of every shape: never a 500, never off-site.
"""

import datetime
import importlib
import json
import re
import traceback
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.db import connection, transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.html import escape

from meetings.models import AgendaItem, Minutes, MinutesCorrection
from meetings.services.actions import action_close, action_record

from . import test_permissions
from .conftest import PERSONAS
from .factories import PASSWORD
from .factories.agenda import session_with_agenda
from .factories.minutes import held_session, session_under_way

url_kwargs = test_permissions.url_kwargs  # the permission table's objects, as a fixture

ROOT = str(Path(__file__).resolve().parent.parent) + "/"
LOGIN = test_permissions.LOGIN
# Who posts first: the table's first persona allowed there, in this order.
PREFERRED = (
    "coordinator",
    "referent",
    "member",
    "other_member",
    "admin",
    "outsider",
    "anonymous",
    "individual",
    "session_registrant",
)
# How many of the personas allowed on a page read its forms (they may see different ones).
READERS = 2
# Who is refused: the table's first persona refused there, in this order.
REFUSED = ("member", "other_member", "outsider", "other_coordinator", "referent", "coordinator", "anonymous")

LONG = "x" * 100_000
HTML = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
NUL = "a\x00b"
HUGE = "9" * 30
NEXT_SHAPES = [
    '"><img src=x>',
    "//evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/\\evil",
    "",
    "/" + "x" * 10_000,
    "/a\x00b",
    "home",
    "core:home",
    "\t//evil.example",
    "/%0d%0aSet-Cookie:x=1",
]
BAD_QUERY = "?next=%ff%fe&q=%c3%28&page=%ff&%ff%fe=%c0%af"
FORM_ENCODED = "application/x-www-form-urlencoded"

ITEM_URLS = {"meetings:live_item_start", "meetings:live_notes_save"}

# Allauth's pages that take a POST, with a made-up key where their URL needs one.
ALLAUTH_POST = {
    "account_login": {},
    "account_signup": {},
    "account_reset_password": {},
    "account_reset_password_from_key": {"uidb36": "zz", "key": "made-up"},
    "account_confirm_email": {"key": "made-up"},
    "account_confirm_login_code": {},
    "account_change_password": {},
    "account_set_password": {},
    "account_email": {},
    "account_reauthenticate": {},
    "account_logout": {},
}


# --- Forms as the pages render them -------------------------------------------------------------------


class FormFields(HTMLParser):
    """What a page sends: its forms that post, as [(action, {name: (kind, value)})], and the query
    parameters of its forms that get and of its links, as [(target, name)]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict]] = []
        self.params: list[tuple[str, str]] = []
        self._form: dict | None = None
        self._get_action: str | None = None
        self._select: tuple[str, list, list] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = a.get("method", "get").lower()
            self._form = {} if method == "post" else None
            self._get_action = a.get("action", "") if method == "get" else None
            if self._form is not None:
                self.forms.append((a.get("action", ""), self._form))
            return
        if tag == "a" and "?" in a.get("href", ""):
            self.params += [(a["href"], name) for name, _ in parse_qsl(urlsplit(a["href"]).query)]
        if self._get_action is not None and a.get("name"):
            self.params.append((self._get_action, a["name"]))
        if "data-hx-post" in a and tag not in ("form", "textarea"):
            fields = {}
            vals = a.get("data-hx-vals", "")
            if vals.startswith("{"):
                fields = {k: ("number" if str(v).isdigit() else "text", str(v)) for k, v in json.loads(vals).items()}
            if a.get("name"):
                fields[a["name"]] = ("choice", a.get("value", ""))
            self.forms.append((a["data-hx-post"], fields))
        target = self._form
        if target is None:
            return
        name = a.get("name")
        if tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._select[1].append(value)
            if "selected" in a:
                self._select[2].append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag in ("input", "button") and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text" if tag == "input" else "submit")
            if kind in ("checkbox", "radio"):
                if name not in target or "checked" in a:
                    target[name] = ("choice", a.get("value", "on"))
            elif kind in ("submit", "image"):
                target.setdefault(name, ("choice", a.get("value", "")))
            else:
                target[name] = (kind, a.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form, self._get_action = None, None
        elif tag == "select" and self._select and self._form is not None:
            name, options, selected = self._select
            value = (selected or [o for o in options if o] or [""])[0]
            numeric = bool(options) and all(o.isdigit() for o in options if o)
            self._form[name] = ("number" if numeric else "choice", value)
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form[self._textarea] = ("textarea", "".join(self._text))
            self._textarea = None


DEFAULTS = {
    "email": "essai@example.org",
    "url": "https://example.org",
    "number": "1",
    "date": "2020-10-06",
    "datetime-local": "2020-10-06T13:30",
    "time": "13:30",
}
TEXT_KINDS = {"text", "textarea", "search", "email", "url", "tel", "hidden"}
SHAPES = [
    ("datetime", re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")),
    ("date", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    ("time", re.compile(r"^\d{2}:\d{2}(:\d{2})?$")),
    ("number", re.compile(r"^-?\d+$")),
]
INPUT_KINDS = {"datetime-local": "datetime", "date": "date", "time": "time", "number": "number"}


def _kind(kind: str, value: str) -> str:
    """What a field holds, from its input type or else its value: datetime, date, time, number, text or choice."""
    if kind in INPUT_KINDS:
        return INPUT_KINDS[kind]
    if kind not in TEXT_KINDS and kind != "choice":
        return kind
    shape = next((name for name, pattern in SHAPES if pattern.match(value)), None)
    if shape and (kind != "choice" or shape == "number"):
        return shape
    return "text" if kind in TEXT_KINDS else "choice"


def _baseline(fields: dict) -> tuple[dict, dict]:
    """The values a person would send (empty fields filled in) and each field's kind."""
    data, kinds = {}, {}
    for name, (kind, value) in fields.items():
        data[name] = value or DEFAULTS.get(kind, "" if kind == "choice" else "Essai")
        kinds[name] = _kind(kind, data[name])
    return data, kinds


def _view_name(action: str, page: str) -> str | None:
    path = urlsplit(action).path or urlsplit(page).path
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


# --- Payloads ------------------------------------------------------------------------------------------


# A payload maker takes the page's data, each field's kind and ids of others' objects, and
# gives [(what it changed, data)]: none when the form has no field of its kind.


def _every(value) -> Callable:
    """`value` in every field."""
    return lambda data, kinds, ids: [("", dict.fromkeys(data, value))]


def _only(wanted: set, value) -> Callable:
    """`value` in every field of the kinds `wanted`, the others as the page sends them."""

    def make(data, kinds, ids):
        if not any(kinds[n] in wanted for n in data):
            return []
        return [("", {n: value if kinds[n] in wanted else v for n, v in data.items()})]

    return make


def _each(wanted: set, value) -> Callable:
    """`value` (or `value(ids)`) in one field of the kinds `wanted` at a time: the form's other checks run too."""

    def make(data, kinds, ids):
        new = value(ids) if callable(value) else value
        return [(f" in {n}", data | {n: new}) for n in data if kinds[n] in wanted]

    return make


PAYLOADS: dict[str, Callable] = {
    "as the page sends it": lambda data, kinds, ids: [("", data)],
    "100 000 characters everywhere": _every(LONG),
    "HTML everywhere": _every(HTML),
    "NUL bytes everywhere": _every(NUL),
    "text where anything is expected": _every("abc"),
    "two values for each field": _every(["1", "abc"]),
    "100 000 characters in the text": _only({"text"}, LONG),
    "NUL bytes in the text": _only({"text"}, NUL),
    "HTML in the text": _only({"text"}, HTML),
    "a negative number": _each({"number"}, "-1"),
    "a huge number": _each({"number"}, HUGE),
    "another person's id": _each({"number"}, lambda ids: ids["user"]),
    "another operator's id": _each({"number"}, lambda ids: ids["operator"]),
    "date 0000-00-00": _only({"date", "datetime"}, "0000-00-00"),
    "date 9999-12-31": _each({"date"}, "9999-12-31"),
    "date 0001-01-01": _each({"date"}, "0001-01-01"),
    "date and time 9999-12-31 23:59": _each({"datetime"}, "9999-12-31T23:59"),
    "time 24:00": _only({"time"}, "24:00"),
    "a next that is no URL": lambda data, kinds, ids: [("", data | {"next": '"><img src=x>'})],
}


def _where(tb) -> str:
    """The last line of Carrefour's own code in a traceback."""
    ours = [f for f in traceback.extract_tb(tb) if f.filename.startswith(ROOT) and "/.venv/" not in f.filename]
    frames = [f for f in ours if not f.filename.startswith(ROOT + "tests/")]
    return f"{frames[-1].filename.removeprefix(ROOT)}:{frames[-1].lineno}" if frames else "in a library"


def refuse_nul_as_postgresql_does(execute, sql, params, many, context):
    """PostgreSQL refuses text with a NUL byte (psycopg raises ValueError); SQLite stores it."""
    rows = params if many else [params]
    for row in rows or []:
        values = row.values() if isinstance(row, dict) else row or []
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


class Probe:
    """Sends requests as personas, each undone after it, and keeps every 500 it meets."""

    def __init__(self, persona_client):
        self.clients: dict = {}
        self.make = persona_client
        self.failures: list[str] = []
        self.count = 0

    def client(self, persona: str):
        if persona not in self.clients:
            client = self.make(persona)
            client.raise_request_exception = False
            self.clients[persona] = client
        return self.clients[persona]

    def send(self, persona: str, method: str, url: str, what: str, **kwargs):
        client = self.client(persona)  # signed in for good, outside the block below
        # Each request meets the same objects: what it changed is undone.
        with transaction.atomic(), connection.execute_wrapper(refuse_nul_as_postgresql_does):
            response = getattr(client, method)(url, **kwargs)
            transaction.set_rollback(True)
        self.count += 1
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            reason = f"{exc[0].__name__}: {str(exc[1])[:200]} ({_where(exc[2])})" if exc else response.status_code
            self.failures.append(f"{method.upper()} {url[:120]} as {persona}, {what}: {reason}")
        return response


def _allowed(name: str) -> list[str]:
    """The personas the table lets use `name`, in PREFERRED order."""
    want = 302 if name in test_permissions.POST_ONLY else 200
    by_persona = dict(zip(PERSONAS, test_permissions.EXPECTED[name], strict=True))
    return [p for p in PREFERRED if by_persona[p] == want]


def _refused(name: str) -> str | None:
    """The first persona, in REFUSED order, that the table turns away from `name`."""
    by_persona = dict(zip(PERSONAS, test_permissions.EXPECTED[name], strict=True))
    return next((p for p in REFUSED if by_persona[p] in (403, 404, LOGIN)), None)


def _areas() -> dict[str, list[str]]:
    """The URL names of each permission table, in its order (destructive ones last)."""
    areas = {name: list(importlib.import_module(name).EXPECTED) for name in test_permissions.AREAS}
    elsewhere = {n for names in areas.values() for n in names}
    return {"tests.test_permissions": [n for n in test_permissions.EXPECTED if n not in elsewhere]} | areas


AREAS = _areas()


def _read_forms(probe: Probe, persona: str, url: str, forms: dict, params: dict) -> None:
    """Open `url` as `persona`: keep each form it posts (who saw it, its fields) and the query parameters
    its forms and links send, by the name of the view they go to."""
    response = probe.send(persona, "get", url, "opened as a link")
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return
    parser = FormFields()
    parser.feed(response.content.decode())
    for action, fields in parser.forms:
        target = _view_name(action, url)
        if target and fields and target not in forms:
            forms[target] = (persona, fields)
    for action, name in parser.params:
        if target := _view_name(action, url):
            params.setdefault(target, set()).add(name)


def _post_all(probe: Probe, persona: str, url: str, fields: dict, ids: dict) -> None:
    """An empty body, then every payload, as `persona`: unless the URL takes no POST."""
    data, kinds = _baseline(fields)
    if probe.send(persona, "post", url, "empty body", data={}).status_code == 405:
        return
    for what, make in PAYLOADS.items():
        for where, payload in make(data, kinds, ids):
            probe.send(persona, "post", url, what + where, data=payload)
    probe.send(persona, "post", url + BAD_QUERY, "invalid UTF-8 in the query string", data=data)
    body = "&".join(f"{quote(name)}=%ff%fe%c0%af" for name in data) or "%ff=%fe"
    probe.send(persona, "post", url, "invalid UTF-8 in the body", data=body, content_type=FORM_ENCODED)
    probe.send(persona, "post", url, "a JSON body", data="[1, {}]", content_type="application/json")
    probe.send(persona, "post", url, "as htmx sends it", data=data, headers={"HX-Request": "true"})


def _get_hostile(probe: Probe, persona: str, url: str, params: set) -> None:
    """Open `url` with invalid UTF-8, huge values and NUL bytes in its query string (`params` and the usual ones)."""
    params = params | {"q", "page", "next"}
    probe.send(persona, "get", url + BAD_QUERY, "invalid UTF-8 in the query string")
    probe.send(persona, "get", url, "a huge query string", data=dict.fromkeys(params, LONG) | {"page": HUGE})
    probe.send(persona, "get", url, "NUL bytes in the query string", data=dict.fromkeys(params, NUL))


def _probe(probe: Probe, urls: dict[str, str], ids: dict) -> None:
    """Read the pages at `urls` (URL name: path), then open each with a hostile query and post every payload."""
    forms: dict[str, tuple[str, dict]] = {}
    params: dict[str, set] = {}
    pages = {n: _allowed(n) for n in urls if n not in test_permissions.POST_ONLY and _allowed(n)}
    for name, readers in pages.items():
        for persona in readers[:READERS]:
            _read_forms(probe, persona, urls[name], forms, params)
    for name, readers in pages.items():
        _get_hostile(probe, readers[0], urls[name], params.get(name, set()))
    for name, url in urls.items():
        allowed = _allowed(name)
        fallback = {k: ("text", str(v)) for k, v in test_permissions.POST_DATA.get(name, {}).items()}
        poster, fields = forms.get(name, (allowed[0] if allowed else None, fallback))
        if refused := _refused(name):
            probe.send(refused, "post", url, "100 000 characters everywhere", data=dict.fromkeys(fields, LONG))
        if poster:
            _post_all(probe, poster, url, fields, ids)


def _report(probe: Probe) -> str:
    return f"{len(probe.failures)} failures in {probe.count} requests:\n" + "\n".join(probe.failures)


@pytest.mark.parametrize("area", list(AREAS))
def test_no_server_error_on_hostile_input(
    area, persona_client, url_kwargs, other_member, other_operator, other_coordinator, outsider, admin_user
):
    probe = Probe(persona_client)
    ids = {"user": str(other_member.pk), "operator": str(other_operator.pk)}
    _probe(probe, {name: reverse(name, kwargs=url_kwargs.get(name)) for name in AREAS[area]}, ids)
    assert not probe.failures, _report(probe)


def _approval_item(series, coordinator, live):
    """On the live session's agenda, the approval of earlier provisional minutes with a correction to decide."""
    _held, minutes = held_session(series, coordinator)
    Minutes.objects.filter(pk=minutes.pk).update(status="published", published_at=timezone.now(), provisional=True)
    MinutesCorrection.objects.create(minutes=minutes, text="Une correction.", author=coordinator)
    return AgendaItem.objects.create(
        session=live, position=0, title="Approbation", kind="minutes_approval", timebox=5, minutes_to_approve=minutes
    )


def test_no_server_error_while_a_session_is_under_way_and_an_info_round_open(
    persona_client,
    series,
    operator,
    referent,
    member,
    coordinator,
    other_member,
    other_operator,
    other_coordinator,
    outsider,
):
    """The permission tables' sessions are a week ahead or held: here the live and info-round forms take writes."""
    live = session_under_way(series)
    approval = _approval_item(series, coordinator, live)
    coming = session_with_agenda(series, starts_at=timezone.now() + datetime.timedelta(days=2))
    live_names = [n for n in test_permissions.EXPECTED if n.startswith("meetings:live_")] + ["meetings:session_end"]
    urls = {"meetings:session_live": reverse("meetings:session_live", args=[live.public_id])}
    for name in live_names:
        kwargs = {"item_id": live.agenda_items.exclude(pk=approval.pk).first().pk} if name in ITEM_URLS else {}
        if name == "meetings:live_minutes_approve":
            kwargs = {"item_id": approval.pk}
        urls[name] = reverse(name, kwargs={"session_id": live.public_id} | kwargs)
    urls["meetings:inforound_entry"] = reverse("meetings:inforound_entry", args=[coming.public_id, operator.slug])
    probe = Probe(persona_client)
    _probe(probe, urls, {"user": str(other_member.pk), "operator": str(other_operator.pk)})
    assert not probe.failures, _report(probe)


def test_no_server_error_on_the_account_pages(persona_client, outsider):
    probe = Probe(persona_client)
    ids = {"user": str(outsider.pk), "operator": "1"}
    for persona in ("anonymous", "outsider"):
        for name, kwargs in ALLAUTH_POST.items():
            url = reverse(name, kwargs=kwargs)
            forms, params = {}, {}
            _read_forms(probe, persona, url, forms, params)
            _get_hostile(probe, persona, url, params.get(name, set()))
            _post_all(probe, persona, url, forms.get(name, (persona, {}))[1], ids)
    assert not probe.failures, _report(probe)


# --- `next` --------------------------------------------------------------------------------------------


ENCODED = "/%0d%0aSet-Cookie:x=1"  # a path of the site (percent-encoded): kept


@pytest.mark.parametrize("shape", NEXT_SHAPES + [ENCODED])
def test_every_view_that_reads_next_stays_on_the_site(
    shape, persona_client, session, coordinator, member, operator, outsider
):
    action = action_record(actor=coordinator, session=session, description="Envoyer la fiche", owner_operator=operator)
    closed = action_record(actor=coordinator, session=session, description="Appeler", owner_operator=operator)
    action_close(actor=coordinator, action=closed, status="done")
    register, home = reverse("meetings:action_register"), reverse("core:home")
    close = reverse("meetings:action_close", args=[action.public_id])
    reopen = reverse("meetings:action_reopen", args=[closed.public_id])
    sign_in = {"login": outsider.email, "password": PASSWORD, "next": shape}
    # (who, method, URL, data, where it goes when `next` is refused)
    cases = [
        ("anonymous", "post", reverse("core:language_set"), {"language": "en", "next": shape}, "/"),
        ("outsider", "post", reverse("core:language_set"), {"language": "en", "next": shape}, "/"),
        ("member", "post", close, {"status": "done", "next": shape}, register),
        ("coordinator", "post", reopen, {"next": shape}, register),
        ("anonymous", "post", reverse("account_login"), sign_in, home),
        ("outsider", "post", reverse("account_logout"), {"next": shape}, "/"),
    ]
    probe = Probe(persona_client)
    for persona, method, url, data, default in cases:
        response = probe.send(persona, method, url, f"next={shape[:40]!r}", data=data)
        location, expected = response.get("Location", ""), shape if shape == ENCODED else default
        if response.status_code != 500 and not (response.status_code == 302 and location == expected):
            probe.failures.append(f"{method.upper()} {url} as {persona}: {response.status_code} to {location!r}")
    # The close page puts `next` in its form and its back link: only when it is a path of the site.
    page = probe.send("member", "get", close, "the close page", data={"next": shape}).content.decode()
    if f'name="next" value="{escape(shape if shape == ENCODED else register)}"' not in page:
        probe.failures.append("the close page keeps a `next` that is not a path of the site")
    probe.send("anonymous", "get", reverse("account_login"), "the sign-in page", data={"next": shape})
    assert not probe.failures, _report(probe)
