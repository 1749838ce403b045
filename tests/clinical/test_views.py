"""The pages of clinical situations: the guard in the forms, the carrier group's
choice, avenues and follow-ups, who gets a 404, the access logs, query counts."""

import pytest
from django.urls import reverse

from clinical import services
from clinical.models import MeetingOwner, PendingText, Situation, SituationAccess
from core.request_cache import forget

from ..conftest import login
from ..factories import totp_authenticator
from ..factories.charter import charter_publish_version
from ..factories.clinical import VIGNETTE, SituationFactory, clinical_session, situation_propose

NISS = "85.07.30-033.28"


def _form(**overrides):
    return {k: str(v) for k, v in (VIGNETTE | overrides).items()}


def test_the_guard_refuses_with_the_passage_highlighted_and_keeps_the_text(client, clinical, member):
    text = f"Jeune de 15 ans, NISS {NISS}, vit en famille."
    response = login(client, member).post(
        reverse("clinical:propose", args=[clinical.public_id]), _form(life_context=text)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<mark>{NISS}</mark>" in page and "NISS" in page and "vit en famille" in page
    assert "ask_confirmation" in page
    assert not Situation.objects.exists()


def test_a_false_positive_is_held_for_the_carrier_group(client, clinical, member, coordinator):
    data = _form(life_context="Le service joint au 081 22 33 44 a relayé.", ask_confirmation="on")
    response = login(client, member).post(reverse("clinical:propose", args=[clinical.public_id]), data)
    assert response.status_code == 302 and not Situation.objects.exists()
    pending = PendingText.objects.get()
    page = login(client, coordinator).get(reverse("clinical:pending", args=[clinical.public_id])).content.decode()
    assert "081 22 33 44" in page
    client.post(reverse("clinical:pending_confirm", args=[pending.public_id]))
    assert Situation.objects.get().author == member


def test_propose_then_read_with_no_store_noindex_and_logged(client, clinical, member):
    response = login(client, member).post(reverse("clinical:propose", args=[clinical.public_id]), _form())
    situation = Situation.objects.get()
    assert response["Location"] == reverse("clinical:situation", args=[situation.public_id])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "déscolarisée" in page.content.decode()
    assert "no-store" in page["Cache-Control"] and "noindex" in page["X-Robots-Tag"]
    assert SituationAccess.objects.filter(situation=situation, user=member, action="viewed").count() == 1


@pytest.fixture
def chosen(clinical, member, coordinator, next_meeting):
    situation = situation_propose(clinical, member)
    services.situation_choose(actor=coordinator, situation=situation, version=0, session=next_meeting)
    situation.refresh_from_db()
    return situation


def test_others_get_404(client, chosen, referent, other_member, other_coordinator, admin_user, outsider):
    url = reverse("clinical:situation", args=[chosen.public_id])
    for person in (referent, other_member, other_coordinator, admin_user, outsider):
        assert login(client, person).get(url).status_code == 404, person


def test_a_new_charter_version_closes_the_situation_until_accepted(client, chosen, clinical, member, coordinator):
    url = reverse("clinical:situation", args=[chosen.public_id])
    assert login(client, member).get(url).status_code == 200
    charter_publish_version(clinical, coordinator, title="Charte v2")
    forget(member)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("required", [True, False])
def test_the_second_factor_gate(client, chosen, member, settings, required):
    settings.CLINICAL_SECOND_FACTOR_REQUIRED = required
    url = reverse("clinical:situation", args=[chosen.public_id])
    assert login(client, member).get(url).status_code == (404 if required else 200)
    totp_authenticator(member)
    assert client.get(url).status_code == 200


def test_the_carrier_group_chooses_on_the_page(client, clinical, member, coordinator, next_meeting):
    situation = situation_propose(clinical, member)
    login(client, coordinator)
    page = client.get(reverse("clinical:situation", args=[situation.public_id])).content.decode()
    assert "Choisir" in page or "Choose" in page
    client.post(reverse("clinical:choose", args=[situation.public_id]), {"session": next_meeting.pk, "version": 0})
    situation.refresh_from_db()
    assert situation.status == "chosen" and situation.session == next_meeting
    session_page = client.get(reverse("clinical:session", args=[next_meeting.public_id])).content.decode()
    assert reverse("clinical:situation", args=[situation.public_id]) in session_page


def test_rework_then_a_stale_edit_is_a_visible_conflict(client, clinical, member, coordinator):
    situation = situation_propose(clinical, member)
    login(client, coordinator).post(
        reverse("clinical:rework", args=[situation.public_id]), {"message": "Préciser l'âge.", "version": 0}
    )
    situation.refresh_from_db()
    assert situation.status == "rework"
    login(client, member)
    page = client.get(reverse("clinical:edit", args=[situation.public_id])).content.decode()
    assert "Préciser l&#x27;âge." in page
    response = client.post(reverse("clinical:edit", args=[situation.public_id]), _form(version="0"))
    assert (
        response.status_code == 200 and "reload" in response.content.decode() or "recharg" in response.content.decode()
    )


def test_avenues_and_follow_up_on_the_pages(client, chosen, member, coordinator, clinical):
    login(client, coordinator)
    refused = client.post(reverse("clinical:recommend", args=[chosen.public_id]), {"text": "Écrire à x@y.be"})
    assert refused.status_code == 200 and "<mark>x@y.be</mark>" in refused.content.decode()
    client.post(reverse("clinical:recommend", args=[chosen.public_id]), {"text": "Piste : un relais scolaire."})
    chosen.refresh_from_db()
    assert chosen.status == "presented"
    login(client, member).post(reverse("clinical:follow_up", args=[chosen.public_id]), {"text": "Le lien tient."})
    page = client.get(reverse("clinical:situation", args=[chosen.public_id])).content.decode()
    assert "Piste : un relais scolaire." in page and "Le lien tient." in page
    log = client.get(reverse("clinical:log", args=[chosen.public_id])).content.decode()
    assert member.name in log


def test_the_author_deletes_the_texts(client, chosen, member):
    login(client, member).post(reverse("clinical:withdraw", args=[chosen.public_id]))
    chosen.refresh_from_db()
    assert chosen.purged_at and "déscolarisée" not in chosen.life_context


def test_settings_with_a_conflict(client, clinical, coordinator):
    url = reverse("clinical:settings", args=[clinical.public_id])
    login(client, coordinator).post(url, {"situations_per_session": 3, "retention_months": 6, "version": 0})
    response = client.post(url, {"situations_per_session": 2, "retention_months": 6, "version": 0})
    assert response.status_code == 200 and clinical.clinical_settings.situations_per_session == 3


def test_the_admins_read_the_whole_access_log(client, chosen, admin_user, member):
    page = login(client, admin_user).get(reverse("clinical:access_log")).content.decode()
    assert member.name in page and "déscolarisée" not in page


# --- fixed numbers of queries -------------------------------------------------


def _situations(clinical, member, session, n):
    return [SituationFactory(series=clinical, author=member, session=session, status="chosen") for _ in range(n)]


@pytest.mark.parametrize("n", [1, 4])
def test_list_pages_run_a_fixed_number_of_queries(
    client, clinical, member, coordinator, next_meeting, admin_user, django_assert_num_queries, n
):
    situations = _situations(clinical, member, next_meeting, n)
    for _ in range(n):
        services.pending_hold(actor=member, series=clinical, target="proposal", values=dict(VIGNETTE))
    for situation in situations:
        SituationAccess.objects.create(situation=situation, user=member, action="viewed")
    login(client, coordinator)
    pages = {
        reverse("clinical:list", args=[clinical.public_id]): 9,
        reverse("clinical:session", args=[next_meeting.public_id]): 11,
        reverse("clinical:pending", args=[clinical.public_id]): 8,
        reverse("clinical:log", args=[situations[0].public_id]): 8,
    }
    for url, count in pages.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
    login(client, admin_user)
    with django_assert_num_queries(6):
        assert client.get(reverse("clinical:access_log")).status_code == 200


def test_a_later_meeting_carries_the_situation_to_its_retour(client, chosen, coordinator, clinical):
    services.situation_present(actor=coordinator, situation=chosen)
    later = clinical_session(clinical, days=70)
    page = login(client, coordinator).get(reverse("clinical:session", args=[later.public_id])).content.decode()
    assert reverse("clinical:situation", args=[chosen.public_id]) in page


def test_the_carrier_group_names_the_task_owner_of_a_meeting(
    client, next_meeting, coordinator, member, other_coordinator
):
    url = reverse("clinical:session_owner", args=[next_meeting.public_id])
    login(client, coordinator).post(url, {"owner": other_coordinator.pk})  # not of the carrier group: refused
    assert not MeetingOwner.objects.exists()
    client.post(url, {"owner": coordinator.pk})
    assert MeetingOwner.objects.get(session=next_meeting).owner == coordinator
    page = login(client, member).get(reverse("clinical:session", args=[next_meeting.public_id])).content.decode()
    assert coordinator.name in page
    assert client.post(url, {"owner": member.pk}).status_code == 404
