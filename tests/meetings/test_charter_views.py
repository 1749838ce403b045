"""The charter's pages: the gate on every page of the series, accepting with a
name and a date, the coordinators' draft (preview, conflict, publish), the
signatories and their exports, hostile input."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.models import AuditEvent
from meetings.models import Charter, CharterAcceptance, JoinRequest
from meetings.services.charter import charter_ensure
from operators.models import MembershipRole

from ..conftest import login
from ..factories import MembershipFactory
from ..factories.charter import accepted_by, charter_publish_version
from ..factories.minutes import published_session, session_under_way


def _charter_url(series, name="meetings:charter"):
    return reverse(name, kwargs={"series_id": series.public_id})


@pytest.fixture
def gated(series, coordinator):
    charter_publish_version(series, coordinator)
    return series


def test_a_participant_who_has_not_accepted_is_led_to_the_charter_from_every_page(
    client, gated, coordinator, member, operator
):
    session = session_under_way(gated)
    held, _minutes = published_session(gated, coordinator)
    pages = [
        reverse("meetings:series_detail", kwargs={"series_id": gated.public_id}),
        reverse("meetings:session_detail", kwargs={"session_id": session.public_id}),
        reverse("meetings:minutes_detail", kwargs={"session_id": held.public_id}),
        reverse("meetings:inforound_compiled", kwargs={"session_id": session.public_id}),
        reverse("meetings:inforound_entry", kwargs={"session_id": session.public_id, "operator_slug": operator.slug}),
        reverse("meetings:session_ics", kwargs={"session_id": session.public_id}),
    ]
    login(client, member)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(_charter_url(gated) + "?next=")
    # A post (or an htmx request) is refused outright: nothing of the series answers.
    assert client.post(pages[4], {"action": "draft"}).status_code == 403
    assert client.get(pages[1], headers={"HX-Request": "true"}).status_code == 403
    # The charter page shows the series' description and the charter, nothing of its sessions.
    response = client.get(_charter_url(gated))
    assert "Ce qui se dit au groupe reste au groupe" in response.content.decode()
    assert str(session.public_id) not in response.content.decode()
    # Accepted, every page opens.
    accepted_by(gated, member)
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_accepting_with_name_and_date_leads_back_where_the_person_was(client, gated, member, session):
    login(client, member)
    wanted = reverse("meetings:session_detail", kwargs={"session_id": session.public_id})
    charter_page = client.get(wanted)["Location"]
    page = client.get(charter_page)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="Olivier Marchal"' in body  # the name, prefilled
    assert "J'accepte la version 1 de la charte" in body
    response = client.post(charter_page, {"agree": "on", "signed_name": "Olivier Marchal"})
    assert response.status_code == 302 and response["Location"] == wanted
    assert CharterAcceptance.objects.get(user=member).signed_name == "Olivier Marchal"
    assert client.get(wanted).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"signed_name": "Olivier Marchal"},  # the box not ticked
        {"agree": "on", "signed_name": ""},
        {"agree": "on", "signed_name": "Olivier\x00Marchal"},
        {"agree": "on", "signed_name": "x" * 151},
        {"agree": "on", "signed_name": "   "},
    ],
)
def test_a_refused_acceptance_says_why_and_records_nothing(client, gated, member, data):
    login(client, member)
    response = client.post(_charter_url(gated), data)
    assert response.status_code == 400
    assert "form-error-summary" in response.content.decode()
    assert not CharterAcceptance.objects.exists()


def test_a_hostile_next_stays_on_the_site(client, gated, member):
    login(client, member)
    response = client.post(
        _charter_url(gated) + "?next=//evil.example", {"agree": "on", "signed_name": "Olivier Marchal"}
    )
    assert response["Location"] == reverse("meetings:series_detail", kwargs={"series_id": gated.public_id})


def test_the_series_list_and_the_home_page_point_to_the_charter_to_accept(client, gated, member):
    login(client, member)
    for page in (reverse("meetings:series_list"), reverse("core:home")):
        body = client.get(page).content.decode()
        assert _charter_url(gated) in body
        assert gated.name in body
    accepted_by(gated, member)
    assert _charter_url(gated) not in client.get(reverse("core:home")).content.decode()


def test_withdrawing_closes_the_series_again(client, gated, member):
    accepted_by(gated, member)
    login(client, member)
    assert "Retirer mon acceptation" in client.get(_charter_url(gated)).content.decode()
    client.post(_charter_url(gated, "meetings:charter_withdraw"))
    detail = reverse("meetings:series_detail", kwargs={"series_id": gated.public_id})
    assert client.get(detail).status_code == 302
    assert CharterAcceptance.objects.filter(user=member).count() == 2


def test_a_coordinator_previews_without_saving_and_the_preview_is_sanitised(client, series, coordinator):
    login(client, coordinator)
    charter_ensure(series=series)
    body = "## Cadre\n\n**Anonymisé**<script>alert(1)</script> [lien](javascript:alert(1))"
    response = client.post(
        _charter_url(series, "meetings:charter_edit"),
        {"title": "Charte", "body": body, "revision": 0, "action": "preview"},
    )
    html = response.content.decode()
    preview = html[html.index('id="preview-heading"') :]
    assert response.status_code == 200
    assert "<h3>Cadre</h3>" in preview and "<strong>Anonymisé</strong>" in preview
    assert "<script>" not in preview and "javascript:" not in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the typed text, kept as typed in the form
    assert Charter.objects.get(series=series).draft_body == ""


def test_a_coordinator_saves_then_publishes_and_everyone_is_asked(client, series, coordinator, member):
    login(client, coordinator)
    url = _charter_url(series, "meetings:charter_edit")
    client.get(url)
    client.post(url, {"title": "Charte", "body": "Texte v1", "revision": 0, "action": "save"})
    response = client.post(url, {"title": "Charte", "body": "Texte v1, relu", "revision": 1, "action": "publish"})
    assert response["Location"] == _charter_url(series, "meetings:charter_signatories")
    charter = Charter.objects.select_related("current_version").get(series=series)
    assert (charter.current_version.number, charter.current_version.body) == (1, "Texte v1, relu")
    login(client, member)
    assert client.get(reverse("meetings:series_detail", kwargs={"series_id": series.public_id})).status_code == 302


def test_two_coordinators_editing_at_once_see_a_conflict_and_lose_nothing(
    client, series, coordinator, other_coordinator
):
    series.coordinators.add(other_coordinator)
    url = _charter_url(series, "meetings:charter_edit")
    login(client, coordinator)
    client.get(url)  # both open the draft at revision 0
    client.post(url, {"title": "Charte", "body": "Le texte de Claire", "revision": 0, "action": "save"})
    login(client, other_coordinator)
    response = client.post(url, {"title": "Charte", "body": "Le texte de Marc", "revision": 0, "action": "publish"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Le texte de Claire" in html and "Le texte de Marc" in html  # both texts on the page
    assert 'name="revision" value="1"' in html  # saving again keeps Marc's text, knowingly
    charter = Charter.objects.get(series=series)
    assert charter.draft_body == "Le texte de Claire" and charter.current_version is None


@pytest.mark.parametrize(
    "data",
    [
        {"title": "x" * 201, "body": "b", "revision": 0, "action": "save"},
        {"title": "Charte", "body": "b" * 50_001, "revision": 0, "action": "save"},
        {"title": "Charte\x07", "body": "b", "revision": 0, "action": "save"},
        {"title": "Charte", "body": "b", "revision": "-1", "action": "save"},
        {"title": "Charte", "body": "b", "revision": "9" * 30, "action": "save"},
        {"title": "Charte", "body": "b", "revision": 0, "action": "delete"},
        {"title": "", "body": "", "revision": 0, "action": "publish"},
    ],
)
def test_hostile_drafts_are_refused_with_the_text_kept(client, series, coordinator, data):
    login(client, coordinator)
    response = client.post(_charter_url(series, "meetings:charter_edit"), data)
    assert response.status_code == 400
    assert "form-error-summary" in response.content.decode()
    if data["body"] == "b":
        assert "\nb</textarea>" in response.content.decode()  # nothing typed is lost
    assert not Charter.objects.filter(series=series, current_version__isnull=False).exists()


def test_the_signatories_export_is_formula_safe_and_audited(client, gated, coordinator, operator):
    person = MembershipFactory(operator=operator, role=MembershipRole.MEMBER, user__name="=HYPERLINK(1)").user
    accepted_by(gated, person)
    login(client, coordinator)
    response = client.get(_charter_url(gated, "meetings:charter_signatories_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "'=HYPERLINK(1)" and rows[1][4] == "A accepté"
    response = client.get(_charter_url(gated, "meetings:charter_signatories_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet["A2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s" and cell.quotePrefix
    exports = AuditEvent.objects.filter(action="charter.signatories_export").values_list("detail", flat=True)
    assert list(exports) == [{"format": "xlsx", "count": 1}, {"format": "csv", "count": 1}]


def test_the_join_request_shows_the_charter_and_asks_for_acceptance(client, gated, other_member, other_operator):
    login(client, other_member)
    url = reverse("meetings:join_request_create", kwargs={"series_id": gated.public_id})
    page = client.get(url).content.decode()
    assert "Ce qui se dit au groupe reste au groupe" in page and 'name="signed_name"' in page
    response = client.post(url, {"operator": other_operator.pk, "message": "Bonjour"})
    assert response.status_code == 200 and not JoinRequest.objects.exists()
    client.post(url, {"operator": other_operator.pk, "message": "Bonjour", "agree": "on", "signed_name": "D. Wauters"})
    assert JoinRequest.objects.filter(operator=other_operator).exists()
    assert CharterAcceptance.objects.get(user=other_member).signed_name == "D. Wauters"


def test_the_charter_pages_speak_french_and_english(client, gated, member, coordinator):
    login(client, member)
    assert "Charte de confidentialité" in client.get(_charter_url(gated)).content.decode()
    member.language = "en"
    member.save()
    with translation.override("en"):
        assert "Confidentiality charter" in client.get(_charter_url(gated)).content.decode()
    login(client, coordinator)
    body = client.get(_charter_url(gated, "meetings:charter_signatories")).content.decode()
    assert "Signataires de la charte" in body and "Relancer" in body
