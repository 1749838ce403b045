import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from meetings.models import JoinRequest, Participation, Series
from meetings.services import series as services

from ..conftest import login
from ..factories import OperatorFactory, SessionFactory


def _series_data(**changes):
    data = {
        "name": "Visioconférence hebdomadaire",
        "kind": Series.Kind.CRISIS_VIDEOCONFERENCE,
        "description": "Échange bref et ritualisé.",
        "pilot_start": "2020-09-01",
        "pilot_end": "2020-11-30",
        "default_mode": "video",
        "default_duration": "60",
        "video_provider": "jitsi",
        "open_to_requests": "on",
        "visibility": "private",
        "admission": "invitation",
        "skip_holidays": "on",
        "info_round_open_days": "3",
        "info_round_deadline_hours": "24",
        "reminder_hours": "24",
    }
    data.update(changes)
    return data


def test_series_create_makes_the_creator_coordinator(coordinator, operator, other_operator):
    series = services.series_create(
        actor=coordinator,
        name="Pilote",
        kind=Series.Kind.CRISIS_VIDEOCONFERENCE,
        pilot_start=datetime.date(2020, 9, 1),
        operators=[operator, other_operator],
    )
    assert list(series.coordinators.all()) == [coordinator]
    assert set(series.participations.values_list("operator", "since")) == {
        (operator.pk, datetime.date(2020, 9, 1)),
        (other_operator.pk, datetime.date(2020, 9, 1)),
    }
    assert series.jitsi_room.startswith("carrefour-") and len(series.jitsi_room) > 25


def test_members_cannot_create_series(member):
    with pytest.raises(PermissionDenied):
        services.series_create(actor=member, name="X")


def test_a_period_that_ends_before_it_starts_is_refused(coordinator):
    with pytest.raises(ValidationError):
        services.series_create(
            actor=coordinator, name="X", pilot_start=datetime.date(2020, 9, 1), pilot_end=datetime.date(2020, 8, 1)
        )
    assert not Series.objects.exists()


def test_join_request_accepted_adds_the_operator_from_today(series, coordinator, other_member, other_operator):
    request = services.join_request_create(
        actor=other_member, series=series, operator=other_operator, message="Bonjour"
    )
    with pytest.raises(ValidationError):
        services.join_request_create(actor=other_member, series=series, operator=other_operator)
    services.join_request_decide(actor=coordinator, join_request=request, accept=True, reply="Bienvenue")
    participation = series.participations.get(operator=other_operator)
    assert participation.via_request == request and participation.until is None
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.reply) == (
        JoinRequest.Status.ACCEPTED,
        coordinator,
        "Bienvenue",
    )
    with pytest.raises(ValidationError):
        services.join_request_decide(actor=coordinator, join_request=request, accept=False)


def test_join_request_declined_adds_nothing(series, coordinator, other_member, other_operator):
    request = services.join_request_create(actor=other_member, series=series, operator=other_operator)
    services.join_request_decide(actor=coordinator, join_request=request, accept=False)
    assert not series.participations.filter(operator=other_operator).exists()


def test_only_referents_ask_and_only_coordinators_decide(
    series, member, operator, other_member, other_operator, other_coordinator
):
    with pytest.raises(PermissionDenied):
        services.join_request_create(actor=member, series=series, operator=other_operator)
    request = services.join_request_create(actor=other_member, series=series, operator=other_operator)
    with pytest.raises(PermissionDenied):
        services.join_request_decide(actor=other_coordinator, join_request=request, accept=True)
    series.open_to_requests = False
    series.save()
    request.delete()
    with pytest.raises(ValidationError):
        services.join_request_create(actor=other_member, series=series, operator=other_operator)


def test_participation_end_keeps_history_and_allows_coming_back(series, coordinator, operator):
    participation = series.participations.get(operator=operator)
    services.participation_end(actor=coordinator, participation=participation, until=datetime.date(2020, 10, 1))
    services.participation_add(actor=coordinator, series=series, operator=operator, since=datetime.date(2020, 11, 1))
    assert series.participations.filter(operator=operator).count() == 2
    with pytest.raises(ValidationError):
        services.participation_add(actor=coordinator, series=series, operator=operator)


# --- views -------------------------------------------------------------------


def test_coordinator_creates_a_series_in_the_browser_form(client, coordinator, operator):
    response = login(client, coordinator).post(reverse("meetings:series_create"), _series_data(operators=[operator.pk]))
    series = Series.objects.get()
    assert response["Location"] == reverse("meetings:series_detail", kwargs={"series_id": series.public_id})
    assert series.participations.get().operator == operator
    assert series.pilot_end == datetime.date(2020, 11, 30)


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 100_000}, "name"),
        ({"pilot_end": "2020-08-01"}, "pilot_end"),
        ({"pilot_start": "not a date"}, "pilot_start"),
        ({"default_duration": "0"}, "default_duration"),
        ({"default_duration": "99999"}, "default_duration"),
        ({"video_provider": "external", "video_url": ""}, "video_url"),
        ({"video_url": "javascript:alert(1)", "video_provider": "external"}, "video_url"),
        ({"kind": "<script>"}, "kind"),
        ({"operators": ["999999"]}, "operators"),
        ({"description": "x" * 10_000}, "description"),
    ],
)
def test_series_form_refuses_bad_input(client, coordinator, changes, field):
    response = login(client, coordinator).post(reverse("meetings:series_create"), _series_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Series.objects.exists()


def test_series_form_errors_speak_french(client, coordinator):
    response = login(client, coordinator).post(reverse("meetings:series_create"), _series_data(pilot_end="2020-08-01"))
    assert "La période doit se terminer après son début." in response.content.decode()


def test_series_edit_keeps_at_least_one_coordinator(client, coordinator, series):
    url = reverse("meetings:series_edit", kwargs={"series_id": series.public_id})
    response = login(client, coordinator).post(url, _series_data(name="Renommée", coordinators=[coordinator.pk]))
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.name == "Renommée"


def test_series_list_shows_mine_and_open_ones(client, series, member, other_member):
    body = login(client, member).get(reverse("meetings:series_list")).content.decode()
    assert series.name in body
    response = login(client, other_member).get(reverse("meetings:series_list"))
    assert list(response.context["my_series"]) == []
    assert series in response.context["open_series"]


def test_referent_requests_to_join_and_sees_the_status(client, series, other_member, other_operator, coordinator):
    url = reverse("meetings:join_request_create", kwargs={"series_id": series.public_id})
    login(client, other_member).post(url, {"operator": other_operator.pk, "message": "<b>Nous aussi</b>"})
    request = JoinRequest.objects.get()
    assert request.message == "<b>Nous aussi</b>"
    page = client.get(url).content.decode()
    assert "&lt;b&gt;Nous aussi" not in page  # the message is for coordinators
    assert "En attente" in page or "Pending" in page
    decide = reverse("meetings:join_request_decide", kwargs={"series_id": series.public_id, "pk": request.pk})
    login(client, coordinator).post(decide, {"decision": "accept", "reply": "Bienvenue"})
    assert series.participations.filter(operator=other_operator, until__isnull=True).exists()
    # Now part of the series, the referent sees it.
    login(client, other_member)
    assert client.get(reverse("meetings:series_detail", kwargs={"series_id": series.public_id})).status_code == 200


def test_join_request_for_an_operator_of_someone_else_is_refused(client, series, other_member, territory):
    stranger = OperatorFactory(territory=territory)
    url = reverse("meetings:join_request_create", kwargs={"series_id": series.public_id})
    response = login(client, other_member).post(url, {"operator": stranger.pk, "message": "x"})
    assert response.status_code == 200 and "operator" in response.context["form"].errors
    assert not JoinRequest.objects.exists()


@pytest.mark.parametrize("value", ["", "maybe", "<script>"])
def test_join_request_decision_must_be_a_choice(client, series, coordinator, other_member, other_operator, value):
    request = services.join_request_create(actor=other_member, series=series, operator=other_operator)
    decide = reverse("meetings:join_request_decide", kwargs={"series_id": series.public_id, "pk": request.pk})
    response = login(client, coordinator).post(decide, {"decision": value})
    assert response.status_code == 200 and "decision" in response.context["form"].errors
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING


def test_participants_page_adds_an_operator(client, series, coordinator, other_operator):
    url = reverse("meetings:participants", kwargs={"series_id": series.public_id})
    response = login(client, coordinator).post(url, {"operator": other_operator.pk, "since": "2020-10-01"})
    assert response.status_code == 302
    assert series.participations.get(operator=other_operator).since == datetime.date(2020, 10, 1)
    response = client.post(url, {"operator": "999999"})
    assert response.status_code == 200 and "operator" in response.context["form"].errors


def test_participation_of_another_series_is_404(client, series, coordinator, other_coordinator, operator):
    foreign = Series.objects.exclude(pk=series.pk).get()
    participation = Participation.objects.create(series=foreign, operator=operator, since=datetime.date(2020, 1, 1))
    url = reverse("meetings:participation_end", kwargs={"series_id": series.public_id, "pk": participation.pk})
    assert login(client, coordinator).post(url).status_code == 404
    participation.refresh_from_db()
    assert participation.until is None


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(("persona", "cold", "warm"), [("member", 20, 8), ("coordinator", 17, 7)])
def test_series_detail_query_count_is_fixed(
    client, request, series, persona, cold, warm, count, django_assert_num_queries
):
    SessionFactory.create_batch(count, series=series)
    login(client, request.getfixturevalue(persona))
    url = reverse("meetings:series_detail", kwargs={"series_id": series.public_id})
    # Cold: what the fragment shows, and what its key varies by (the moments the sessions
    # change by themselves, the charter, the join requests: meetings.fragments_series).
    with django_assert_num_queries(cold):
        response = client.get(url)
    assert len(response.context["page"].upcoming) == min(count, 20)
    # Warm: the person and the series, for the access; the rest comes from the cache.
    with django_assert_num_queries(warm):
        client.get(url)


@pytest.mark.parametrize("count", [1, 30])
def test_series_list_query_count_is_fixed(client, coordinator, count, django_assert_num_queries):
    from ..factories import SeriesFactory

    for _ in range(count):
        SeriesFactory().coordinators.add(coordinator)
    login(client, coordinator)
    # 10: with the series the person takes part in as an individual participant (once per request).
    with django_assert_num_queries(10):
        response = client.get(reverse("meetings:series_list"))
    assert len(response.context["my_series"]) == count


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"info_round_open_days": "0"}, "info_round_open_days"),
        ({"info_round_open_days": "15"}, "info_round_open_days"),
        ({"info_round_open_days": "2", "info_round_deadline_hours": "48"}, "info_round_deadline_hours"),
        ({"reminder_hours": "0"}, "reminder_hours"),
        ({"reminder_hours": "<script>"}, "reminder_hours"),
    ],
)
def test_the_ritual_timing_of_a_series_is_checked(client, coordinator, series, changes, field):
    login(client, coordinator)
    url = reverse("meetings:series_edit", kwargs={"series_id": series.public_id})
    response = client.post(url, _series_data(**changes))
    assert response.status_code == 200 and field in response.context["form"].errors
    series.refresh_from_db()
    assert (series.info_round_open_days, series.reminder_hours) == (3, 24)


def test_a_coordinator_sets_when_the_info_round_opens_and_the_reminder_goes(client, coordinator, series):
    login(client, coordinator)
    url = reverse("meetings:series_edit", kwargs={"series_id": series.public_id})
    response = client.post(
        url,
        _series_data(
            info_round_open_days="5", info_round_deadline_hours="12", reminder_hours="2", coordinators=[coordinator.pk]
        ),
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.info_round_open_days, series.info_round_deadline_hours, series.reminder_hours) == (5, 12, 2)


def test_series_detail_session_rows_read_as_before(client, series, member):
    """The rows' labels are worked out in the view (for speed): same text as the date filters gave."""
    from zoneinfo import ZoneInfo

    import time_machine

    from meetings.models import Mode, Session

    brussels = ZoneInfo("Europe/Brussels")
    series.video_provider = Series.VideoProvider.JITSI
    series.save()
    start = datetime.datetime(2026, 3, 10, 13, 30, tzinfo=brussels)
    soon = SessionFactory(series=series, starts_at=start, ends_at=start + datetime.timedelta(hours=1), mode=Mode.VIDEO)
    later = start + datetime.timedelta(weeks=1)
    SessionFactory(
        series=series,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=1),
        status=Session.Status.CANCELLED,
        cancel_reason="Congé",
    )
    login(client, member)
    with time_machine.travel(start - datetime.timedelta(minutes=10), tick=False):
        body = client.get(reverse("meetings:series_detail", kwargs={"series_id": series.public_id})).content.decode()
    assert "mardi 10 mars 2026" in body and "13:30–14:30" in body and "mardi 17 mars 2026" in body
    assert "Visioconférence" in body and "Annulée" in body and "Congé" in body
    assert body.count("Rejoindre la visioconférence") == 1  # the cancelled session has no button
    assert reverse("meetings:session_detail", args=[soon.public_id]) in body


@pytest.mark.parametrize(
    ("kind", "visibility", "admission"),
    [
        (Series.Kind.CLINICAL, "network", "request"),
        (Series.Kind.THEMATIC, "public", "open"),
        (Series.Kind.CONSULTATION, "public", "open"),
        (Series.Kind.CRISIS_VIDEOCONFERENCE, "private", "invitation"),
    ],
)
def test_a_new_series_takes_its_kinds_visibility_and_admission(client, coordinator, kind, visibility, admission):
    login(client, coordinator).post(
        reverse("meetings:series_create"), _series_data(kind=kind, visibility="", admission="")
    )
    series = Series.objects.get()
    assert (series.visibility, series.admission) == (visibility, admission)


def test_coordinators_change_the_visibility_and_admission(client, coordinator, series):
    url = reverse("meetings:series_edit", kwargs={"series_id": series.public_id})
    data = _series_data(coordinators=[coordinator.pk], visibility="public", admission="request")
    login(client, coordinator).post(url, data)
    series.refresh_from_db()
    assert (series.visibility, series.admission) == ("public", "request")
    refused = client.post(url, data | {"visibility": "everyone"})
    assert refused.status_code == 200 and "invalid-feedback" in refused.content.decode()
