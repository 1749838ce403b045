"""The page of a person registered to one session (the session page is not
theirs), and the calendar files and emails that link to it."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from core.brussels import BRUSSELS
from meetings.calendar import session_registration_url
from meetings.models import AgendaItem, Mode, Series
from meetings.notifications import MeetingKind
from notifications.delivery import notification_render
from notifications.models import Notification
from registrations.models import Registration
from registrations.notifications import RegistrationKind

from ..conftest import login
from ..factories import RegistrationFactory

Status = Registration.Status


def page_url(session) -> str:
    return reverse("registrations:my_session", kwargs={"session_id": session.public_id})


def _agenda(session, *titles):
    for n, title in enumerate(titles):
        AgendaItem.objects.create(session=session, position=n, title=title, timebox=10)


def _row(person, kind, object_type, object_id, period="") -> Notification:
    return Notification.objects.create(
        recipient=person,
        kind=kind,
        object_type=object_type,
        object_id=str(object_id),
        period=period,
        due_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )


def _event(message) -> icalendar.Event:
    ics = next(a for a in message.attachments if a[0] == "invite.ics")[1]
    return icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]


def test_the_registrant_sees_when_where_how_to_join_and_cancel(
    client, registered_session, session_registrant, django_assert_num_queries
):
    login(client, session_registrant)
    client.get(page_url(registered_session))  # the session's middleware reads, once
    # The session and the person (2), the menu of the base page (4), the
    # registration with its session and series (1, in a savepoint pair).
    with django_assert_num_queries(7):
        response = client.get(page_url(registered_session))
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    local = registered_session.starts_at.astimezone(BRUSSELS)
    assert "Inscrit·e" in page and "heure de Bruxelles" in page
    assert "Rejoindre la visioconférence" in page  # confirmed, by video
    assert "Annuler mon inscription" in page and "calendar.ics" in page
    assert local.strftime("%H:%M") in page
    assert reverse("meetings:session_detail", kwargs={"session_id": registered_session.public_id}) not in page


def test_the_agenda_titles_only_when_the_series_shows_them(client, registered_session, session_registrant):
    _agenda(registered_session, "Accueil", "Cartographie des acteurs")
    login(client, session_registrant)
    assert "Cartographie des acteurs" not in client.get(page_url(registered_session)).content.decode()
    Series.objects.filter(pk=registered_session.series_id).update(agenda_shown_to_registrants=True)
    page = client.get(page_url(registered_session)).content.decode()
    assert "Accueil" in page and "Cartographie des acteurs" in page


def test_no_join_link_before_the_place_is_confirmed_and_the_venue_in_person(client, registered_session, outsider):
    registered_session.mode, registered_session.venue = Mode.IN_PERSON, "Maison des associations, salle 2"
    registered_session.save()
    RegistrationFactory(
        series=registered_session.series, session=registered_session, user=outsider, status=Status.WAITING
    )
    login(client, outsider)
    page = client.get(page_url(registered_session)).content.decode()
    assert "Maison des associations, salle 2" in page and "Sur la liste d" in page
    assert "Rejoindre la visioconférence" not in page and "calendar.ics" not in page


def test_cancelling_from_the_page_lands_back_on_it(client, registered_session, session_registrant):
    login(client, session_registrant)
    registration = Registration.objects.get(user=session_registrant)
    response = client.post(reverse("registrations:cancel", kwargs={"registration_id": registration.public_id}))
    assert response["Location"] == page_url(registered_session)
    page = client.get(page_url(registered_session)).content.decode()
    assert "Annulée" in page and "Annuler mon inscription" not in page


@pytest.mark.parametrize("who", ["member", "individual", "outsider"])
def test_nobody_else_opens_it(client, registered_session, session_registrant, request, who):
    login(client, request.getfixturevalue(who))
    assert client.get(page_url(registered_session)).status_code == 404


def test_the_registrations_calendar_file_links_to_that_page(client, registered_session, session_registrant):
    login(client, session_registrant)
    registration = Registration.objects.get(user=session_registrant)
    ics = client.get(reverse("registrations:calendar", kwargs={"registration_id": registration.public_id})).content
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["URL"]) == session_registration_url(registered_session)
    assert session_registration_url(registered_session) in str(event["DESCRIPTION"])
    assert "/meetings/" not in str(event["DESCRIPTION"])


def test_the_confirmation_email_and_its_calendar_file_link_to_that_page(registered_session, session_registrant):
    registration = Registration.objects.get(user=session_registrant)
    row = _row(
        session_registrant,
        RegistrationKind.CONFIRMED,
        "registrations.registration",
        registration.pk,
        f"v{registration.version}",
    )
    message = notification_render(row)
    assert session_registration_url(registered_session) in message.body
    assert str(_event(message)["URL"]) == session_registration_url(registered_session)


def test_the_session_invitation_links_each_person_to_the_page_they_can_open(
    registered_session, session_registrant, member
):
    period = f"v{registered_session.sequence}"
    to_registrant = notification_render(
        _row(session_registrant, MeetingKind.SESSION_INVITATION, "meetings.session", registered_session.pk, period)
    )
    to_member = notification_render(
        _row(member, MeetingKind.SESSION_INVITATION, "meetings.session", registered_session.pk, period)
    )
    mine = session_registration_url(registered_session)
    assert mine in to_registrant.body and str(_event(to_registrant)["URL"]) == mine
    assert "/session.ics" not in to_registrant.body  # the session's own file is not theirs either
    assert mine not in to_member.body and str(_event(to_member)["URL"]) != mine


def test_the_reminder_shows_registrants_the_agenda_only_when_the_series_does(
    registered_session, session_registrant, member
):
    _agenda(registered_session, "Cartographie des acteurs")
    row = _row(session_registrant, MeetingKind.SESSION_REMINDER, "meetings.session", registered_session.pk)
    assert "Cartographie des acteurs" not in notification_render(row).body
    assert (
        "Cartographie des acteurs"
        in notification_render(
            _row(member, MeetingKind.SESSION_REMINDER, "meetings.session", registered_session.pk)
        ).body
    )
    Series.objects.filter(pk=registered_session.series_id).update(agenda_shown_to_registrants=True)
    row.delete()
    row = _row(session_registrant, MeetingKind.SESSION_REMINDER, "meetings.session", registered_session.pk)
    message = notification_render(row)
    assert "Cartographie des acteurs" in message.body and session_registration_url(registered_session) in message.body
