"""The demo's open concertation (seed 003), loaded by `seed_demo`.

The thematic concertation on mental health of the Brussels Bassin Nord:
public and open to every professional of the social and health sector, with
its question "Vos attentes". Its first meeting (15 October 2024, a date the
seed does not give) gathered 34 registered professionals, all marked
present: "34 professionnel·les" is computed from the attendance.

The seed's next date is Friday 24 January 2025, 9:30–12:00, followed by a
lunch. That day has passed, and a newcomer must be able to register under
`make run`: the demo puts the next date on the next 24 January still at
least a week away from the day `seed_demo` runs (same day, same hours), with
40 places, 12 of them taken. Idempotent: a second run changes nothing.
"""

import datetime

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_make_coordinator
from meetings.models import Series, Session
from meetings.services.series import series_create
from operators.models import Territory
from registrations.models import ParticipantAttendance, Question, Registration

from .demo import BRUSSELS, DEMO_PASSWORD

BASSIN_NORD_SERIES = "Concertation thématique Santé mentale — Bassin Nord"
COORDINATOR = ("aurelie.mertens@brusano.example", "Aurélie Mertens")
FIRST_MEETING = datetime.date(2024, 10, 15)
NEXT_PLACES = 40
NEXT_TAKEN = 12
FIRST_NAMES = [
    "Amina", "Benoît", "Chloé", "Daniel", "Elif", "Fatima", "Grégory", "Hélène", "Ilias", "Joëlle", "Kevin",
    "Laure", "Mehdi", "Nathalie", "Omar", "Pauline", "Quentin", "Rachida", "Sébastien", "Tania", "Ugo", "Valérie",
    "Wassim", "Xavier", "Yasmina", "Zoé", "Arnaud", "Bérénice", "Cédric", "Dounia", "Emmanuel", "Florence",
    "Gaëlle", "Hugo",
]  # fmt: skip
LAST_NAMES = [
    "Aerts", "Bouzid", "Claes", "Dethier", "El Amrani", "François", "Goossens", "Hermans", "Istasse", "Janssens",
    "Kabongo", "Lambrechts", "Moreau", "Nys", "Ouali", "Peeters", "Quintin", "Renson", "Simon", "Thys", "Uyttendaele",
    "Vermeulen", "Wouters", "Yilmaz", "Zeghers", "Bastin", "Colson", "Delvaux", "Evrard", "Fontaine", "Gilson",
    "Hubert", "Jacobs", "Lemaire",
]  # fmt: skip
# (organisation, profession): services of the bassin, as typed at registration.
WHERE = [
    ("Maison médicale de Schaerbeek", "Assistant·e social·e"),
    ("CPAS de Saint-Josse", "Assistant·e social·e"),
    ("Service de santé mentale Le Méridien", "Psychologue"),
    ("Maison médicale du Nord", "Infirmier·ère"),
    ("Antenne 107 Bruxelles Nord", "Coordinateur·rice"),
    ("Relais social de Bruxelles", "Éducateur·rice"),
    ("Centre de planning familial", "Psychologue"),
    ("Hôpital Brugmann, psychiatrie de liaison", "Psychiatre"),
    ("Service d'aide aux personnes sans abri", "Travailleur·euse de rue"),
    ("Coordination sociale d'Evere", "Coordinateur·rice"),
    ("SPAD Bruxelles Nord", "Infirmier·ère psychiatrique"),
]


def _person(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def next_date_day(today: datetime.date) -> datetime.date:
    """The next 24 January at least a week after `today` (the seed's 24/01/25, moved into the future)."""
    day = datetime.date(today.year, 1, 24)
    while day < today + datetime.timedelta(days=7):
        day = day.replace(year=day.year + 1)
    return day


def _registration(series, session, user, index: int, now) -> None:
    organisation, profession = WHERE[index % len(WHERE)]
    Registration.objects.create(
        series=series,
        session=session,
        user=user,
        organisation_name=organisation,
        profession=profession,
        status=Registration.Status.REGISTERED,
        status_changed_at=now,
    )


@transaction.atomic
def seed_registrations(now: datetime.datetime | None = None) -> list[tuple[str, str, str]]:
    """The Bassin Nord concertation, its 34 professionals and its next date open for registration; returns a login."""
    now = now or timezone.now()
    email, name = COORDINATOR
    coordinator = _person(email, name)
    user_make_coordinator(user=coordinator)
    login = [(email, "coordinator", "Bassin Nord")]
    if Series.objects.filter(name=BASSIN_NORD_SERIES).exists():
        return login
    series = series_create(
        actor=coordinator,
        name=BASSIN_NORD_SERIES,
        kind=Series.Kind.THEMATIC,  # public, open to every professional (the kind's defaults)
        description=(
            "Les concertations thématiques des bassins visent à suivre les actualités et partager les "
            "connaissances, assurer une fonction de veille des besoins de la population, identifier les ajustements "
            "nécessaires en termes d'offre et de collaboration, proposer des actions à mener collectivement. Elles "
            "sont ouvertes à tous·tes les acteur·rices social-santé."
        ),
        territory=Territory.objects.get(slug="bruxelles-nord"),
        default_mode="in_person",
        default_duration=150,
        default_venue="Maison des associations, Schaerbeek",
        video_provider=Series.VideoProvider.NONE,
    )
    Question.objects.create(series=series, text="Vos attentes", position=1)
    first = Session.objects.create(
        series=series,
        starts_at=_at(FIRST_MEETING, 9, 30),
        ends_at=_at(FIRST_MEETING, 12, 0),
        status=Session.Status.HELD,
        mode="in_person",
        venue="Maison des associations, Schaerbeek",
        capacity=40,
        is_extra=True,
        is_customised=True,
    )
    day = next_date_day(timezone.localdate(now))
    upcoming = Session.objects.create(
        series=series,
        starts_at=_at(day, 9, 30),
        ends_at=_at(day, 12, 0),
        mode="in_person",
        venue="Maison des associations, Schaerbeek (suivie d'un lunch)",
        capacity=NEXT_PLACES,
        is_extra=True,
        is_customised=True,
    )
    people = [
        _person(f"{first_name.lower()}.{index:02d}@bassin-nord.example", f"{first_name} {last_name}")
        for index, (first_name, last_name) in enumerate(zip(FIRST_NAMES, LAST_NAMES, strict=True), start=1)
    ]
    for index, person in enumerate(people):
        _registration(series, first, person, index, now)
        ParticipantAttendance.objects.create(
            session=first, user=person, status=ParticipantAttendance.Status.PRESENT, recorded_by=coordinator
        )
    for index, person in enumerate(people[:NEXT_TAKEN]):
        _registration(series, upcoming, person, index, now)
    return login
