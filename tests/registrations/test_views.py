"""The registration pages: signing up through a registration, the emails it
sends, hostile input, the coordinators' list, exports and attendance."""

import csv
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from core.models import AuditEvent
from meetings.models import Visibility
from notifications.delivery import notification_send
from notifications.models import Notification
from notifications.scan import notifications_scan
from registrations.models import ParticipantAttendance, Question, Registration
from registrations.tokens import cancel_token

from ..conftest import login
from ..factories import PASSWORD, RegistrationFactory

Status = Registration.Status


def _signup_data(**extra):
    return {
        "name": "Léa Vandamme",
        "email": "lea@example.org",
        "password1": "un-mot-de-passe-solide-42",
        "organisation_name": "Maison médicale de Schaerbeek",
        "profession": "Assistante sociale",
        "website": "",
    } | extra


def _send_due():
    notifications_scan()
    for pk in Notification.objects.filter(state=Notification.State.PENDING).values_list("pk", flat=True):
        notification_send(notification_id=pk)


def _link(body: str, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", body).group(1)


def test_a_professional_without_an_account_registers_and_verifies(
    client, thematic, date, django_capture_on_commit_callbacks
):
    expectations = Question.objects.create(series=thematic, text="Vos attentes ?")
    url = reverse("registrations:register_session", kwargs={"session_id": date.public_id})
    form = client.get(url).content.decode()
    assert "Créer mon compte et m’inscrire" in form
    assert f'<a href="{reverse("privacy:notice")}">la déclaration de confidentialité</a>' in form
    with django_capture_on_commit_callbacks(execute=True):  # allauth's emails leave once committed
        response = client.post(url, _signup_data(**{f"question_{expectations.pk}": "Mieux orienter"}))
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    person = User.objects.get(email="lea@example.org")
    registration = Registration.objects.get(user=person)
    assert (person.name, registration.status) == ("Léa Vandamme", Status.UNVERIFIED)
    assert registration.answers.get().text == "Mieux orienter"
    assert not EmailAddress.objects.get(user=person).verified

    confirm = _link(mail.outbox[-1].body, "/accounts/confirm-email/")
    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"] == reverse("registrations:mine")
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED

    _send_due()
    confirmation = next(m for m in mail.outbox if "Inscription confirmée" in m.subject)
    assert confirmation.to == ["lea@example.org"]
    filename, ics, _mimetype = confirmation.attachments[0]
    assert filename == "invite.ics" and "BEGIN:VEVENT" in (ics.decode() if isinstance(ics, bytes) else ics)
    assert "/registrations/cancel/" in confirmation.body


def test_a_known_email_gets_the_same_answer_and_an_email_saying_so(
    client, thematic, date, outsider, django_capture_on_commit_callbacks
):
    url = reverse("registrations:register_session", kwargs={"session_id": date.public_id})
    unknown = client.post(url, _signup_data(email="nobody@example.org"))
    client.logout()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, _signup_data(email=outsider.email))
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert not Registration.objects.filter(user=outsider).exists()
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert "Vous avez déjà un compte Carrefour" in mail.outbox[0].subject
    assert "/accounts/login/?next=" in mail.outbox[0].body


def test_a_filled_honeypot_gets_the_same_answer_and_makes_nothing(client, thematic, date):
    url = reverse("registrations:register_session", kwargs={"session_id": date.public_id})
    response = client.post(url, _signup_data(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert not User.objects.filter(email="lea@example.org").exists()
    assert not mail.outbox


def test_the_generic_signup_stays_closed(client, thematic):
    client.get(reverse("registrations:register", kwargs={"series_id": thematic.public_id}))
    response = client.post(reverse("account_signup"), {"email": "x@example.org", "password1": "a-long-password-42"})
    assert response.status_code == 200 and "invitation" in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


def test_private_series_have_no_public_page(client, thematic, outsider):
    thematic.visibility = Visibility.PRIVATE
    thematic.save()
    key = {"series_id": thematic.public_id}
    assert client.get(reverse("registrations:series_public", kwargs=key)).status_code == 404
    assert client.get(reverse("registrations:register", kwargs=key)).status_code == 404


def test_network_series_are_for_signed_in_people_only(client, thematic, outsider):
    thematic.visibility = Visibility.NETWORK
    thematic.save()
    url = reverse("registrations:series_public", kwargs={"series_id": thematic.public_id})
    assert client.get(url).status_code == 404
    assert login(client, outsider).get(url).status_code == 200


def test_the_public_page_shows_dates_and_places_but_no_names(client, thematic, date):
    RegistrationFactory(series=thematic, session=date, user__name="Jeanne Secret")
    page = client.get(reverse("registrations:series_public", kwargs={"series_id": thematic.public_id}))
    text = page.content.decode()
    assert "1 place restante" in text and "Jeanne Secret" not in text
    assert "Bassin Bruxelles Nord" in text


@pytest.mark.parametrize(
    "hostile",
    [
        {"profession": "a\x01b"},
        {"profession": "x" * 151},
        {"organisation_name": "", "operator": ""},
        {"operator": "99999999999999999999999"},
        {"operator": "not-a-number"},
    ],
)
def test_hostile_registrations_are_refused_with_a_message(client, thematic, date, member, hostile):
    login(client, member)
    url = reverse("registrations:register_session", kwargs={"session_id": date.public_id})
    data = {"organisation_name": "CPAS de Bruxelles", "profession": "Infirmier"} | hostile
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert not Registration.objects.filter(user=member).exists()
    # What the person typed is still there.
    assert "CPAS de Bruxelles" in response.content.decode() or not data["organisation_name"]


def test_a_signed_in_person_registers_and_lands_on_their_registration(client, thematic, date, outsider):
    login(client, outsider)
    url = reverse("registrations:register_session", kwargs={"session_id": date.public_id})
    assert f'<a href="{reverse("privacy:notice")}">' in client.get(url).content.decode()  # the notice, from the form
    response = client.post(url, {"organisation_name": "CPAS de Bruxelles", "profession": "Infirmier"})
    registration = Registration.objects.get(user=outsider)
    # A registration to one session: its page for that session (the session page is not theirs).
    assert response["Location"] == reverse("registrations:my_session", kwargs={"session_id": date.public_id})
    page = client.get(response["Location"]).content.decode()
    assert "Inscrit·e" in page and "calendar.ics" in page
    ics = client.get(reverse("registrations:calendar", kwargs={"registration_id": registration.public_id}))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content


def test_one_click_cancel_from_the_email_promotes_the_next(client, thematic, date):
    held = RegistrationFactory.create_batch(2, series=thematic, session=date)
    waiting = RegistrationFactory(series=thematic, session=date, status=Status.WAITING)
    url = reverse("registrations:cancel_by_token", kwargs={"token": cancel_token(held[0])})
    assert client.get(url).status_code == 200
    held[0].refresh_from_db()
    assert held[0].status == Status.REGISTERED  # opening the link changes nothing
    assert client.post(url).status_code == 200
    held[0].refresh_from_db()
    waiting.refresh_from_db()
    assert held[0].status == Status.CANCELLED and waiting.status == Status.OFFERED
    _send_due()
    promoted = next(m for m in mail.outbox if m.to == [waiting.user.email])
    assert "Une place s’est libérée" in promoted.subject


@pytest.mark.parametrize("token", ["abc", "x" * 300, "a:b:c", cancel_token.__name__])
def test_a_bad_cancellation_link_says_so(client, db, token):
    response = client.get(reverse("registrations:cancel_by_token", kwargs={"token": token}))
    assert response.status_code == 404 and "n’est pas valide" in response.content.decode()


def test_coordinators_export_a_formula_safe_list_and_it_is_audited(client, thematic, date, coordinator):
    RegistrationFactory(series=thematic, session=date, organisation_name='=HYPERLINK("http://evil")')
    login(client, coordinator)
    url = reverse("registrations:export", kwargs={"series_id": thematic.public_id, "fmt": "csv"})
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    xlsx = client.get(url.replace("export.csv", "export.xlsx") + f"?session={date.public_id}")
    cell = load_workbook(io.BytesIO(xlsx.content)).active["C2"]
    assert cell.value == '=HYPERLINK("http://evil")' and cell.data_type == "s"
    assert AuditEvent.objects.filter(action="registrations.export").count() == 2
    assert client.get(url.replace("export.csv", "export.pdf")).status_code == 404
    assert client.get(url + "?session=not-a-uuid").status_code == 404


def test_coordinators_take_attendance_and_the_figure_is_computed(client, thematic, date, coordinator):
    people = RegistrationFactory.create_batch(2, series=thematic, session=date)
    login(client, coordinator)
    url = reverse("registrations:attendance", kwargs={"session_id": date.public_id})
    client.post(url, {f"person_{people[0].user_id}": "present", f"person_{people[1].user_id}": "present"})
    assert ParticipantAttendance.objects.filter(session=date, status="present").count() == 2
    page = client.get(reverse("registrations:session_registrations", kwargs={"session_id": date.public_id}))
    assert "2 professionnel·les ont participé." in page.content.decode()
    client.post(url, {f"person_{people[0].user_id}": "<script>"})  # hostile: refused, nothing changes
    assert ParticipantAttendance.objects.filter(session=date, status="present").count() == 2


@pytest.mark.parametrize("capacity", ["-1", "0", "abc", "99999999999999999999"])
def test_hostile_capacities_are_refused(client, date, coordinator, capacity):
    login(client, coordinator)
    url = reverse("registrations:session_registrations", kwargs={"session_id": date.public_id})
    response = client.post(url, {"capacity": capacity})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    date.refresh_from_db()
    assert date.capacity == 2


def test_a_huge_question_id_is_not_found(client, thematic, coordinator):
    login(client, coordinator)
    url = f"/registrations/series/{thematic.public_id}/questions/99999999999999999999999/delete/"
    assert client.post(url).status_code == 404


def test_a_password_check_of_the_signup_keeps_what_was_typed(client, thematic, date):
    url = reverse("registrations:register_session", kwargs={"session_id": date.public_id})
    response = client.post(url, _signup_data(password1="123"))
    assert response.status_code == 200
    assert "Maison médicale de Schaerbeek" in response.content.decode()
    assert not User.objects.filter(email="lea@example.org").exists()
    assert PASSWORD  # the factories' password is for signed-in personas only


def test_signing_up_through_a_registration_is_rate_limited(client, thematic, date, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    url = reverse("registrations:register_session", kwargs={"session_id": date.public_id})
    answers = [client.post(url, _signup_data(email=f"bot{n}@example.org", name="")).status_code for n in range(3)]
    assert answers == [200, 200, 429]
