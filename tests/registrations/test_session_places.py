"""A session's places set on its own form (meetings): through registrations'
service, so places added go to the waiting list in order, and never below
the places confirmed (an error next to the field)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.brussels import BRUSSELS
from meetings.services.sessions import session_add, session_move
from registrations import services
from registrations.models import Registration

from ..conftest import login
from ..factories import RegistrationFactory, UserFactory

Status = Registration.Status


def _edit_data(session, **changes) -> dict:
    start = session.starts_at.astimezone(BRUSSELS)
    end = session.ends_at.astimezone(BRUSSELS)
    return {
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "mode": session.mode,
        "venue": session.venue,
    } | changes


def _waiting(thematic, date):
    RegistrationFactory.create_batch(2, series=thematic, session=date)
    return services.registration_submit(
        actor=UserFactory(), series=thematic, session=date, organisation_name="SSM Nord", profession="Psychologue"
    )


def test_the_form_shows_the_places_and_more_places_offer_them_in_order(client, thematic, date, coordinator):
    date.starts_at, date.ends_at = date.starts_at.replace(second=0), date.ends_at.replace(second=0)
    date.save()  # on a whole minute, as the form gives it: the same times are no move
    first = _waiting(thematic, date)
    second = services.registration_submit(
        actor=UserFactory(), series=thematic, session=date, organisation_name="CPAS", profession="Infirmier"
    )
    assert (first.status, second.status) == (Status.WAITING, Status.WAITING)
    url = reverse("meetings:session_edit", kwargs={"session_id": date.public_id})
    login(client, coordinator)
    assert client.get(url).context["form"].initial["capacity"] == 2
    response = client.post(url, _edit_data(date, capacity="3"))
    assert response.status_code == 302
    date.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert date.capacity == 3 and date.sequence == 0  # places are no move: calendars stay as they are
    assert (first.status, second.status) == (Status.OFFERED, Status.WAITING)


def test_fewer_places_than_confirmed_is_refused_next_to_the_field(client, thematic, date, coordinator):
    RegistrationFactory.create_batch(2, series=thematic, session=date)
    url = reverse("meetings:session_edit", kwargs={"session_id": date.public_id})
    login(client, coordinator)
    response = client.post(url, _edit_data(date, capacity="1", venue="Salle du conseil"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "capacity" in errors and "2 personnes sont déjà confirmées" in errors["capacity"][0]
    assert 'value="Salle du conseil"' in response.content.decode()  # what was typed stays
    date.refresh_from_db()
    assert date.capacity == 2 and date.venue == ""  # nothing saved, the move neither


@pytest.mark.parametrize("capacity", ["0", "-3", "10001", "beaucoup", "1e9"])
def test_hostile_places_are_refused(client, thematic, date, coordinator, capacity):
    url = reverse("meetings:session_edit", kwargs={"session_id": date.public_id})
    response = login(client, coordinator).post(url, _edit_data(date, capacity=capacity))
    assert response.status_code == 200 and "capacity" in response.context["form"].errors


def test_emptying_the_places_lifts_the_limit_and_offers_them_all(client, thematic, date, coordinator):
    waiting = _waiting(thematic, date)
    url = reverse("meetings:session_edit", kwargs={"session_id": date.public_id})
    login(client, coordinator).post(url, _edit_data(date, capacity=""))
    date.refresh_from_db()
    waiting.refresh_from_db()
    assert date.capacity is None and waiting.status == Status.OFFERED


def test_the_service_checks_the_confirmed_places_under_the_lock(thematic, date, coordinator):
    RegistrationFactory.create_batch(2, series=thematic, session=date)
    RegistrationFactory(series=thematic, session=date, status=Status.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        session_move(actor=coordinator, session=date, capacity=1)
    assert "capacity" in refused.value.error_dict
    session_move(actor=coordinator, session=date, capacity=2)
    date.refresh_from_db()
    assert date.capacity == 2


def test_a_new_session_gets_its_places(thematic, coordinator):
    day = datetime.date.today() + datetime.timedelta(days=20)
    session = session_add(
        actor=coordinator, series=thematic, date=day, start_time=datetime.time(9, 30), duration=150, capacity=40
    )
    session.refresh_from_db()
    assert session.capacity == 40


def test_a_series_of_operators_only_has_no_places_field(client, series, session, coordinator):
    url = reverse("meetings:session_edit", kwargs={"session_id": session.public_id})
    assert "capacity" not in login(client, coordinator).get(url).context["form"].fields
