"""Confidential pages are never stored by a browser or a proxy: every URL
pattern of the matrix (tests/test_permissions.py), GET as a persona who may
see it, answers `Cache-Control: no-store` when it shows a series' content."""

from django.urls import get_resolver, reverse

from core.middleware import NO_STORE_VIEWS, is_confidential

from ..conftest import PERSONAS, login
from ..test_permissions import EXPECTED, POST_ONLY, _names, url_kwargs  # noqa: F401 - url_kwargs is a fixture

OK = 200

# The pages the confidentiality of the network rests on.
NAMED_IN_THE_ISSUE = {
    "meetings:inforound_entry",
    "meetings:inforound_compiled",
    "meetings:inforound_board",
    "meetings:minutes_detail",
    "meetings:minutes_pdf",
    "meetings:need_board",
    "meetings:need_detail",
    "meetings:session_live",
    "evaluations:answers",
    "evaluations:response_edit",
    "evaluations:evaluation_detail",
    "evaluations:section_edit",
}

CONFIDENTIAL_PAGES = sorted(name for name in EXPECTED if is_confidential(name) and name not in POST_ONLY)


def test_the_confidential_pages_include_those_of_a_series_content():
    assert set(CONFIDENTIAL_PAGES) >= NAMED_IN_THE_ISSUE
    assert len(CONFIDENTIAL_PAGES) > 40  # every page of the meetings and evaluations namespaces


def test_each_named_view_exists():
    assert _names(get_resolver()) >= NO_STORE_VIEWS


def test_every_confidential_page_says_no_store(persona_client, url_kwargs, other_member, other_coordinator):  # noqa: F811
    clients = {}
    stored = {}
    for name in CONFIDENTIAL_PAGES:
        persona = next((p for p, outcome in zip(PERSONAS, EXPECTED[name], strict=True) if outcome == OK), None)
        if persona is None:
            continue  # nobody reads it with a GET (a redirect or a POST form)
        client = clients.setdefault(persona, persona_client(persona))
        response = client.get(reverse(name, kwargs=url_kwargs.get(name)))
        assert response.status_code == OK, (name, persona)
        if "no-store" not in response.get("Cache-Control", ""):
            stored[name] = persona
    assert not stored, f"confidential pages a browser may store: {stored}"


def test_the_directory_of_services_keeps_the_default(client, member):
    response = login(client, member).get(reverse("operators:directory"))
    assert response.status_code == OK and "no-store" not in response.get("Cache-Control", "")
