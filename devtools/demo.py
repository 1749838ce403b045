"""The demo data: the Namur pilot of September–November 2020 (seed 000).

Every function is idempotent: running `seed_demo` twice leaves one copy.
Names of people are invented; services are those the seed names.
"""

import datetime

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from accounts.services import user_make_coordinator
from core.brussels import BRUSSELS
from core.models import AuditEvent
from meetings.models import (
    Absence,
    Action,
    AgendaItem,
    AgendaItemKind,
    AgendaTemplate,
    AnswerType,
    Attendance,
    Charter,
    CharterAcceptance,
    CharterVersion,
    CooperationNeed,
    Decision,
    InfoRoundAnswer,
    InfoRoundEntry,
    JoinRequest,
    Minutes,
    MinutesCorrection,
    MinutesRevision,
    NeedEndorsement,
    NeedMention,
    NeedStageChange,
    PollAnswer,
    PollSlot,
    Series,
    Session,
    SlotPoll,
    Theme,
)
from meetings.selectors.inforound import info_round_questions
from meetings.services import actions as action_services
from meetings.services import agenda as agenda_services
from meetings.services import charter as charter_services
from meetings.services import corrections as correction_services
from meetings.services import minutes as minutes_services
from meetings.services import needs as need_services
from meetings.services.polls import poll_close, poll_create
from meetings.services.series import join_request_create, series_create
from meetings.services.sessions import calendar_date_add, series_set_recurrence, session_cancel
from operators.models import MembershipRole, Operator, OperatorPublic, Public, Territory
from operators.services import operator_search_text

DEMO_PASSWORD = "carrefour-demo-2020"

TERRITORIES = [
    # (slug, name, kind, parent slug)
    ("wallonie", "Wallonie", Territory.Kind.REGION, None),
    ("province-de-namur", "Province de Namur", Territory.Kind.PROVINCE, "wallonie"),
    ("brabant-wallon", "Brabant wallon", Territory.Kind.PROVINCE, "wallonie"),
    ("bruxelles", "Région de Bruxelles-Capitale", Territory.Kind.REGION, None),
    ("bruxelles-nord", "Bassin Bruxelles Nord", Territory.Kind.BASSIN, "bruxelles"),
    ("bruxelles-nord-est", "Bassin Bruxelles Nord-Est", Territory.Kind.BASSIN, "bruxelles"),
    ("bruxelles-sud", "Bassin Bruxelles Sud", Territory.Kind.BASSIN, "bruxelles"),
    ("bruxelles-sud-est", "Bassin Bruxelles Sud-Est", Territory.Kind.BASSIN, "bruxelles"),
    ("bruxelles-centre-ouest", "Bassin Bruxelles Centre-Ouest", Territory.Kind.BASSIN, "bruxelles"),
]

OPERATORS = [
    {
        "slug": "fil-rouge-tribu-mobile",
        "name": "Fil rouge de l'@tribu mobile",
        "short_name": "@tribu mobile",
        "institution": "Réseau Santé Kirikou",
        "kind": Operator.Kind.MOBILE_TEAM_YOUTH,
        "publics": [Public.CHILDREN, Public.ADOLESCENTS],
        "city": "Namur",
        "postal_code": "5000",
        "email": "fil-rouge@tribu-mobile.example",
        "description": (
            "Équipe mobile enfants-ados du réseau Kirikou. Le « fil rouge » assure la continuité "
            "de l'accompagnement des enfants, des adolescents et de leur entourage sur le territoire "
            "namurois, en lien avec les services de première ligne, l'école et l'aide à la jeunesse."
        ),
    },
    {
        "slug": "pleiade",
        "name": "Pléiade",
        "short_name": "Pléiade",
        "institution": "Réseau Santé Namur",
        "kind": Operator.Kind.MOBILE_TEAM_ADULTS,
        "publics": [Public.YOUNG_ADULTS, Public.ADULTS, Public.OLDER_ADULTS],
        "city": "Namur",
        "postal_code": "5000",
        "email": "coordination@pleiade.example",
        "description": (
            "Coordination des équipes mobiles adultes de la province de Namur (crise et traitement "
            "au long cours). Interventions à domicile, en soutien aux personnes et à leurs proches, "
            "en concertation avec le médecin traitant et les services du réseau."
        ),
    },
    {
        "slug": "emism",
        "name": "Emism",
        "short_name": "Emism",
        "institution": "Province de Namur",
        "kind": Operator.Kind.CRISIS_DEVICE,
        "publics": [Public.ADULTS],
        "city": "Namur",
        "postal_code": "5000",
        "email": "coordination@emism.example",
        "description": (
            "Dispositif provincial de gestion de crise à destination des professionnels : soutien, "
            "conseil et relais pour les intervenants confrontés à une situation de crise psychosociale."
        ),
    },
    {
        "slug": "canopee",
        "name": "Canopée",
        "short_name": "Canopée",
        "institution": "Hôpital du Beauvallon",
        "kind": Operator.Kind.ORIENTATION_CELL,
        "publics": [Public.ADULTS],
        "city": "Saint-Servais",
        "postal_code": "5002",
        "email": "canopee@beauvallon.example",
        "description": (
            "Cellule d'accueil et d'orientation psychiatrique de l'hôpital du Beauvallon : premier "
            "accueil des demandes, évaluation et orientation vers la réponse la plus adaptée, "
            "hospitalière ou ambulatoire."
        ),
    },
    {
        "slug": "polaris",
        "name": "Polaris",
        "short_name": "Polaris",
        "institution": "CNP Saint-Martin",
        "kind": Operator.Kind.CALL_LINE,
        "publics": [Public.ADOLESCENTS, Public.YOUNG_ADULTS, Public.ADULTS],
        "city": "Dave",
        "postal_code": "5100",
        "email": "polaris@cnp-saint-martin.example",
        "description": (
            "Dispositif dédié aux appels cliniques du CNP Saint-Martin : une ligne où les "
            "professionnels trouvent un avis psychiatrique et une aide à l'orientation."
        ),
    },
]

NETWORKS = [
    {
        "slug": "pfcsm-namur",
        "name": "Plate-Forme de Concertation en Santé Mentale de la province de Namur",
        "short_name": "PFCSM Namur",
        "description": "Concertation entre les institutions et services de santé mentale de la province.",
    },
    {
        "slug": "reseau-sante-namur",
        "name": "Réseau Santé Namur",
        "short_name": "RSN",
        "description": "Réseau de santé mentale adultes de la province de Namur.",
    },
    {
        "slug": "reseau-sante-kirikou",
        "name": "Réseau Santé Kirikou",
        "short_name": "Kirikou",
        "description": "Réseau de santé mentale pour enfants et adolescents de la province de Namur.",
    },
]

# (email, name, operator slug, role); coordinators have role None and are
# members of their network.
PEOPLE = [
    ("admin@carrefour.example", "Alex Admin", None, None),
    ("claire.dubois@pfcsm.example", "Claire Dubois", "pfcsm-namur", "coordinator"),
    ("marc.lambert@rsn.example", "Marc Lambert", "reseau-sante-namur", "coordinator"),
    ("sophie.renard@kirikou.example", "Sophie Renard", "reseau-sante-kirikou", "coordinator"),
    ("julie.martin@tribu-mobile.example", "Julie Martin", "fil-rouge-tribu-mobile", MembershipRole.REFERENT),
    ("thomas.leroy@tribu-mobile.example", "Thomas Leroy", "fil-rouge-tribu-mobile", MembershipRole.MEMBER),
    ("nadia.benali@pleiade.example", "Nadia Benali", "pleiade", MembershipRole.REFERENT),
    ("pierre.collard@pleiade.example", "Pierre Collard", "pleiade", MembershipRole.MEMBER),
    ("anne.dumont@emism.example", "Anne Dumont", "emism", MembershipRole.REFERENT),
    ("luc.germain@emism.example", "Luc Germain", "emism", MembershipRole.MEMBER),
    ("isabelle.henrard@beauvallon.example", "Isabelle Henrard", "canopee", MembershipRole.REFERENT),
    ("olivier.marchal@beauvallon.example", "Olivier Marchal", "canopee", MembershipRole.MEMBER),
    ("catherine.piette@cnp-saint-martin.example", "Catherine Piette", "polaris", MembershipRole.REFERENT),
    ("david.wauters@cnp-saint-martin.example", "David Wauters", "polaris", MembershipRole.MEMBER),
]


def _territories() -> dict[str, Territory]:
    found = {}
    for slug, name, kind, parent in TERRITORIES:
        found[slug], _ = Territory.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "parent": found.get(parent)}
        )
    return found


def operator_ensure(territory, data, kind=None, publics=()) -> Operator:
    """The demo operator at `data["slug"]`, created or brought up to date (the other demo modules use it too)."""
    fields = {k: v for k, v in data.items() if k not in ("slug", "publics")}
    fields.setdefault("kind", kind)
    operator, _ = Operator.objects.update_or_create(slug=data["slug"], defaults={**fields, "territory": territory})
    operator.search_text = operator_search_text(operator)
    operator.save(update_fields=["search_text"])
    for public in data.get("publics", publics):
        OperatorPublic.objects.get_or_create(operator=operator, public=public)
    return operator


def person_ensure(email, name, *, admin=False) -> User:
    """The demo person at `email`, with the demo password and a verified address."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
    user.name = name
    user.is_staff = user.is_superuser = admin
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@transaction.atomic
def seed_foundation() -> list[tuple[str, str, str]]:
    """Territories, operators, networks and people; returns the demo logins."""
    territories = _territories()
    namur = territories["province-de-namur"]
    operators = {d["slug"]: operator_ensure(namur, d) for d in OPERATORS}
    operators.update({d["slug"]: operator_ensure(namur, d, kind=Operator.Kind.NETWORK) for d in NETWORKS})
    logins = []
    for email, name, slug, role in PEOPLE:
        user = person_ensure(email, name, admin=slug is None)
        if slug is None:
            logins.append((email, "admin", ""))
            continue
        if role == "coordinator":
            user_make_coordinator(user=user)
            membership_role = MembershipRole.MEMBER
        else:
            membership_role = role
        operators[slug].memberships.update_or_create(user=user, defaults={"role": membership_role})
        logins.append((email, str(role.label) if hasattr(role, "label") else role, operators[slug].short_name))
    return logins


# --- Meeting series (seeds 000 and 002) --------------------------------------

NAMUR_SERIES = "Visioconférence hebdomadaire des opérateurs carrefour namurois"
ARCHIPEL_SERIES = "Groupe de concertations cliniques autour de situations complexes (Réseau Archipel)"

BRABANT_OPERATORS = [
    {
        "slug": "ssm-wavre",
        "name": "Service de santé mentale de Wavre",
        "short_name": "SSM Wavre",
        "kind": Operator.Kind.SSM,
        "publics": [Public.CHILDREN, Public.ADOLESCENTS, Public.ADULTS],
        "city": "Wavre",
        "postal_code": "1300",
        "description": "Consultations psychologiques, psychiatriques et sociales ambulatoires pour tous les âges.",
    },
    {
        "slug": "equipe-mobile-bw",
        "name": "Équipe mobile du Brabant wallon",
        "short_name": "EM BW",
        "kind": Operator.Kind.MOBILE_TEAM_ADULTS,
        "publics": [Public.ADULTS],
        "city": "Ottignies",
        "postal_code": "1340",
        "description": "Équipe mobile de crise et de traitement au long cours pour adultes, au domicile.",
    },
    {
        "slug": "maison-medicale-nivelles",
        "name": "Maison médicale de Nivelles",
        "short_name": "MM Nivelles",
        "kind": Operator.Kind.MEDICAL_HOUSE,
        "publics": [Public.ADULTS, Public.OLDER_ADULTS],
        "city": "Nivelles",
        "postal_code": "1400",
        "description": "Soins de première ligne pluridisciplinaires au forfait.",
    },
]

ARCHIPEL_PEOPLE = [
    ("helene.jacquet@archipel.example", "Hélène Jacquet", "reseau-archipel", "coordinator"),
    ("marie.lejeune@ssm-wavre.example", "Marie Lejeune", "ssm-wavre", MembershipRole.REFERENT),
    ("samir.haddad@em-bw.example", "Samir Haddad", "equipe-mobile-bw", MembershipRole.REFERENT),
    ("lucie.gilson@mm-nivelles.example", "Lucie Gilson", "maison-medicale-nivelles", MembershipRole.REFERENT),
]


def _brussels(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def _seed_namur_series() -> None:
    if Series.objects.filter(name=NAMUR_SERIES).exists():
        return
    claire = User.objects.get(email="claire.dubois@pfcsm.example")
    co_coordinators = User.objects.filter(email__in=["marc.lambert@rsn.example", "sophie.renard@kirikou.example"])
    carrefour = Operator.objects.filter(slug__in=[d["slug"] for d in OPERATORS])
    series = series_create(
        actor=claire,
        name=NAMUR_SERIES,
        kind=Series.Kind.CRISIS_VIDEOCONFERENCE,
        description=(
            "Expérimentation d'une vidéoconférence hebdomadaire entre les principaux opérateurs « carrefour » du "
            "territoire namurois : un échange bref et ritualisé d'informations, structuré autour des besoins de "
            "coopération des opérateurs (émergence, stabilisation, vérification de la convergence). Ouvert aux "
            "autres opérateurs qui en font la demande. Une évaluation finale sera rédigée avec les opérateurs."
        ),
        territory=Operator.objects.get(slug="pleiade").territory,
        pilot_start=datetime.date(2020, 9, 1),
        pilot_end=datetime.date(2020, 11, 30),
        default_duration=60,
        coordinators=list(co_coordinators),
        organisations=list(Operator.objects.filter(slug__in=[d["slug"] for d in NETWORKS])),
        operators=list(carrefour),
    )
    # The poll held at the first, in-person meeting of 21 August 2020.
    poll = SlotPoll.objects.create(
        series=series,
        title="Décider du moment opportun",
        message="Réunion de lancement du 21 août : choisissons ensemble le créneau de l'échange hebdomadaire.",
        deadline=_brussels(datetime.date(2020, 8, 21), 12),
        created_by=claire,
    )
    slots = {
        "tue": PollSlot.objects.create(poll=poll, weekday=1, start_time=datetime.time(13, 30), duration=60),
        "thu": PollSlot.objects.create(poll=poll, weekday=3, start_time=datetime.time(9, 0), duration=60),
        "fri": PollSlot.objects.create(poll=poll, weekday=4, start_time=datetime.time(13, 30), duration=45),
    }
    answers = {
        "fil-rouge-tribu-mobile": ("yes", "no", "if_need_be"),
        "pleiade": ("yes", "yes", "no"),
        "emism": ("yes", "no", "yes"),
        "canopee": ("if_need_be", "yes", "no"),
        "polaris": ("yes", "no", "if_need_be"),
    }
    for operator in carrefour:
        referent = operator.memberships.filter(role=MembershipRole.REFERENT).first()
        for slot, choice in zip(slots.values(), answers[operator.slug], strict=True):
            PollAnswer.objects.create(slot=slot, operator=operator, choice=choice, answered_by=referent.user)
    poll_close(actor=claire, poll=poll, slot=slots["tue"])
    # The answers were given, and the poll closed, at the meeting of 21 August 2020.
    PollAnswer.objects.filter(slot__poll=poll).update(answered_at=_brussels(datetime.date(2020, 8, 21), 10, 15))
    SlotPoll.objects.filter(pk=poll.pk).update(closed_at=_brussels(datetime.date(2020, 8, 21), 11, 30))
    autumn_break = series.sessions.get(starts_at__date=datetime.date(2020, 10, 27))
    session_cancel(
        actor=claire, session=autumn_break, reason="Congé d'automne : la plupart des équipes sont en effectif réduit."
    )
    series.sessions.filter(status=Session.Status.PLANNED, ends_at__lt=timezone.now()).update(status=Session.Status.HELD)


def _seed_archipel_series() -> None:
    if Series.objects.filter(name=ARCHIPEL_SERIES).exists():
        return
    helene = User.objects.get(email="helene.jacquet@archipel.example")
    operators = {o.slug: o for o in Operator.objects.filter(slug__in=[d["slug"] for d in BRABANT_OPERATORS])}
    series = series_create(
        actor=helene,
        name=ARCHIPEL_SERIES,
        kind=Series.Kind.CLINICAL,
        description=(
            "Groupe non décisionnel, ouvert à tous les signataires de la charte de confidentialité : cinq "
            "rencontres par an, de 2 h 30, autour de deux situations cliniques anonymisées et d'un bref retour "
            "sur les situations présentées précédemment."
        ),
        territory=Territory.objects.get(slug="brabant-wallon"),
        pilot_start=datetime.date(2027, 1, 1),
        pilot_end=datetime.date(2027, 12, 31),
        default_mode="in_person",
        default_duration=150,
        video_provider=Series.VideoProvider.NONE,
        organisations=[Operator.objects.get(slug="reseau-archipel")],
        operators=list(operators.values()),
    )
    calendar = [
        (datetime.date(2027, 1, 19), datetime.time(9, 30), "SSM de Wavre, salle du rez-de-chaussée", "ssm-wavre"),
        (datetime.date(2027, 3, 18), datetime.time(13, 30), "Maison médicale de Nivelles", "maison-medicale-nivelles"),
        (datetime.date(2027, 5, 25), datetime.time(9, 30), "Équipe mobile, Ottignies", "equipe-mobile-bw"),
        (datetime.date(2027, 9, 23), datetime.time(13, 30), "SSM de Wavre, salle du rez-de-chaussée", "ssm-wavre"),
        (datetime.date(2027, 11, 16), datetime.time(9, 30), "Maison médicale de Nivelles", "maison-medicale-nivelles"),
    ]
    for day, start, venue, host in calendar:
        calendar_date_add(
            actor=helene,
            series=series,
            date=day,
            start_time=start,
            duration=150,
            venue=venue,
            host_operator=operators[host],
        )
    series_set_recurrence(actor=helene, series=series, recurrence=Series.Recurrence.EXPLICIT)


# The charter of the clinical group (seed 002: "seule condition : signature de
# la charte"): version 1 accepted by the three referents in January 2027,
# version 2 (feedback on earlier situations added) in March, which Lucie
# Gilson has not accepted yet: the series is closed to her until she does.

ARCHIPEL_CHARTER_V1 = """Le groupe de concertations cliniques est un lieu d'échange **non décisionnel** entre \
professionnel·les du réseau Archipel. Chaque participant·e s'engage à respecter ce qui suit.

## Confidentialité

- Les situations sont présentées **anonymisées** : ni nom, ni date de naissance, ni adresse, ni aucun détail \
qui permettrait de reconnaître une personne.
- Ce qui se dit au groupe reste au groupe : rien n'en sort, ni par écrit ni oralement.

## Respect des personnes

- Les personnes dont on parle sont absentes : on parle d'elles comme si elles étaient là.
- Chacun·e s'exprime en son nom, écoute les autres et respecte le temps de parole.

Le groupe porteur est garant du respect de cette charte et du cadre des rencontres.
"""
ARCHIPEL_CHARTER_V2 = ARCHIPEL_CHARTER_V1.replace(
    "Le groupe porteur est garant",
    """## Retours sur les situations

- Le bref retour sur une situation présentée précédemment suit les mêmes règles : anonymisé, sans détail \
nouveau qui permettrait de reconnaître la personne.

Le groupe porteur est garant""",
)
ARCHIPEL_CHARTER_TITLE = "Charte de confidentialité et de respect des personnes"


def _seed_archipel_charter() -> None:
    series = Series.objects.filter(name=ARCHIPEL_SERIES).first()
    if series is None or Charter.objects.filter(series=series, current_version__isnull=False).exists():
        return
    helene = User.objects.get(email="helene.jacquet@archipel.example")
    referents = {p.email: p for p in User.objects.filter(email__in=[e for e, _n, _s, _r in ARCHIPEL_PEOPLE[1:]])}
    v1 = _archipel_charter_version(series, helene, ARCHIPEL_CHARTER_V1, _brussels(datetime.date(2027, 1, 8), 10))
    for day, person in zip((11, 12, 14), referents.values(), strict=True):  # January 2027
        charter_services.charter_accept(actor=person, series=series, signed_name=person.name)
        CharterAcceptance.objects.filter(user=person, version=v1).update(at=_brussels(datetime.date(2027, 1, day), 9))
    v2 = _archipel_charter_version(series, helene, ARCHIPEL_CHARTER_V2, _brussels(datetime.date(2027, 3, 1), 9))
    for email in ("marie.lejeune@ssm-wavre.example", "samir.haddad@em-bw.example"):
        charter_services.charter_accept(actor=referents[email], series=series, signed_name=referents[email].name)
        CharterAcceptance.objects.filter(user=referents[email], version=v2).update(
            at=_brussels(datetime.date(2027, 3, 4), 11)
        )


def _archipel_charter_version(series, helene, body, moment):
    charter = charter_services.charter_ensure(series=series)
    charter.refresh_from_db()
    version = charter_services.charter_publish(
        actor=helene, series=series, title=ARCHIPEL_CHARTER_TITLE, body=body, revision=charter.draft_revision
    )
    CharterVersion.objects.filter(pk=version.pk).update(published_at=moment)
    return version


@transaction.atomic
def seed_meetings() -> list[tuple[str, str, str]]:
    """The Namur pilot (poll, weekly sessions) and the Archipel clinical calendar; returns more logins."""
    brabant = Territory.objects.get(slug="brabant-wallon")
    for data in BRABANT_OPERATORS:
        operator_ensure(brabant, data)
    operator_ensure(
        brabant,
        {
            "slug": "reseau-archipel",
            "name": "Réseau Archipel",
            "short_name": "Archipel",
            "description": "Réseau de santé mentale du Brabant wallon.",
        },
        kind=Operator.Kind.NETWORK,
    )
    logins = []
    for email, name, slug, role in ARCHIPEL_PEOPLE:
        user = person_ensure(email, name)
        operator = Operator.objects.get(slug=slug)
        logins.append((email, str(getattr(role, "label", role)), operator.short_name))
        if role == "coordinator":
            user_make_coordinator(user=user)
            role = MembershipRole.MEMBER
        operator.memberships.update_or_create(user=user, defaults={"role": role})
    _seed_namur_series()
    _seed_archipel_series()
    _seed_archipel_charter()
    return logins


# --- The Namur season: the ritual of seed 000 (issue 4) -----------------------
#
# What the pilot recorded, session by session, from September to November
# 2020: two versions of the "conduite de réunion", the operators' info rounds
# (most in time, some late, some missing, some "rien de neuf"), attendance,
# notes, decisions, actions and the cooperation needs at every stage. The
# services write it as the portal would have; the timestamps they set to
# "now" are then moved back to the moment it happened. No person, no
# situation, no clinical detail: only services, their capacity and their
# cooperation.

CARREFOUR_SLUGS = [d["slug"] for d in OPERATORS]
NAMUR_V2_NOTE = (
    "Tour de table raccourci à 3 minutes par opérateur ; le point « besoins de coopération » passe avant le "
    "suivi des actions et dure 20 minutes ; ajout d'un point « informations à partager »."
)


def _d(month: int, day: int) -> datetime.date:
    return datetime.date(2020, month, day)


# The entries that never came, came late, or said "rien de neuf".
ROUND_MISSING = {
    (_d(9, 1), "polaris"),
    (_d(10, 13), "fil-rouge-tribu-mobile"),
    (_d(11, 10), "emism"),
    (_d(11, 17), "canopee"),
}
ROUND_LATE = {
    (_d(9, 8), "canopee"),
    (_d(9, 22), "emism"),
    (_d(10, 6), "polaris"),
    (_d(10, 20), "fil-rouge-tribu-mobile"),
    (_d(11, 3), "pleiade"),
    (_d(11, 24), "emism"),
}
ROUND_NOTHING_NEW = {
    (_d(9, 29), "emism"),
    (_d(10, 13), "canopee"),
    (_d(11, 10), "pleiade"),
    (_d(11, 17), "polaris"),
}

# The capacity signal ("météo"), a question of v2 from 22 September: per
# operator, its level and waiting time (days) session after session. Canopée,
# the psychiatric reception cell, fills up in October and stays saturated
# three weeks running (13 and 20 October, 3 November: the session of 27
# October was cancelled), then eases; Polaris is under strain in the same weeks.
CAPACITY_FROM = _d(9, 22)
CAPACITY = {
    "canopee": [
        "available",
        "strained",
        "strained",
        "saturated",
        "saturated",
        "saturated",
        "strained",
        "",
        "available",
    ],
    "polaris": ["available", "available", "strained", "strained", "strained", "strained", "available", "", "available"],
    "pleiade": ["available"] * 9,
    "emism": ["available", "available", "available", "strained", "available", "available", "", "available", "strained"],
    "fil-rouge-tribu-mobile": ["strained", "available", "available", "", "available", "strained", "strained"]
    + ["available", "available"],
}
CAPACITY_WAITING = {"canopee": [4, 8, 11, 19, 26, 30, 17, 0, 9], "polaris": [2, 2, 6, 8, 9, 10, 4, 0, 3]}
# Emism is away the week of 9 November (its team at a training): a member stands in.
EMISM_AWAY = (_d(11, 9), _d(11, 13))
# From 17 November the coordinators try approval at the next session: the
# minutes of 17 November are published as provisional, Polaris proposes a
# correction, and the session of 24 November approves them with it. The
# minutes of 24 November, the last of the pilot, have no next session: the
# coordinators approve them as before.
APPROVED_NEXT_FROM = _d(11, 17)
CORRECTION = (
    "polaris",
    AgendaItemKind.NEEDS,
    "Préciser que Polaris relaie les appels de nuit vers Canopée depuis le 12 novembre, pas depuis le 3.",
)

# What each operator wrote, by question kind; picked in turn across the sessions.
ROUND_TEXTS = {
    "fil-rouge-tribu-mobile": {
        "news": [
            "Rentrée scolaire : hausse des demandes venant des écoles et des centres PMS.",
            "Une nouvelle intervenante rejoint l'équipe mobile à mi-temps.",
            "Reprise des permanences délocalisées dans le sud de la province.",
            "Réunion de coordination avec les services de l'aide à la jeunesse prévue ce mois-ci.",
        ],
        "capacity": [
            "Premier contact sous une semaine ; suivi intensif complet jusqu'à la fin du mois.",
            "Délai de prise en charge d'environ deux semaines.",
            "Capacité normale, deux places en suivi intensif.",
        ],
        "difficulties": [
            "Orientations difficiles vers les services adultes pour les jeunes qui changent de dispositif.",
            "Peu de relais disponibles pendant les congés scolaires.",
            "",
        ],
        "to_share": [
            "Séance d'information sur l'équipe mobile ouverte aux partenaires le mois prochain.",
            "",
            "Nouvelle brochure de présentation disponible sur demande.",
        ],
    },
    "pleiade": {
        "news": [
            "Les équipes mobiles adultes fonctionnent à effectif complet depuis la rentrée.",
            "Réorganisation des secteurs d'intervention entre le nord et le sud de la province.",
            "Les équipes adaptent leurs visites à domicile aux mesures sanitaires en vigueur.",
            "Recrutement en cours pour un poste d'infirmier ou d'infirmière psychiatrique.",
        ],
        "capacity": [
            "Équipe de crise : délai d'intervention de 24 à 48 heures.",
            "Équipe de traitement au long cours : liste d'attente d'environ trois semaines.",
            "Capacité réduite cette semaine en raison de congés.",
        ],
        "difficulties": [
            "Les barrières de langue compliquent certaines interventions à domicile.",
            "Quarantaines dans l'équipe : quelques visites reportées.",
            "",
        ],
        "to_share": [
            "Le calendrier des permanences pendant le congé d'automne sera diffusé.",
            "",
            "Formation interne sur l'intervention de crise ouverte à deux participants externes.",
        ],
    },
    "emism": {
        "news": [
            "Le dispositif de soutien aux professionnels reprend ses intervisions à la demande.",
            "Nouvelle adresse de courriel fonctionnelle pour les demandes des professionnels.",
            "Bilan du premier semestre présenté au comité de pilotage provincial.",
        ],
        "capacity": [
            "Disponibles pour des intervisions sous 48 heures.",
            "Agenda chargé ce mois-ci : délai d'une semaine pour les rencontres d'équipe.",
            "Capacité normale.",
        ],
        "difficulties": [
            "La première ligne nous dit manquer de visibilité sur les délais des autres services.",
            "Plusieurs demandes portent sur des situations de crise en dehors des heures de bureau.",
            "",
        ],
        "to_share": [
            "Webinaire provincial sur la gestion de crise psychosociale en préparation.",
            "",
            "Le répertoire provincial des services d'urgence sociale a été mis à jour.",
        ],
    },
    "canopee": {
        "news": [
            "La cellule d'accueil et d'orientation a repris ses horaires habituels.",
            "Les lits de crise de l'hôpital sont à nouveau accessibles selon la procédure habituelle.",
            "Une nouvelle procédure d'admission est en test pour les demandes programmées.",
        ],
        "capacity": [
            "Accueil sans rendez-vous en journée ; délai de 3 à 5 jours pour un rendez-vous programmé.",
            "Occupation élevée des unités cette semaine.",
            "Capacité normale.",
        ],
        "difficulties": [
            "Peu de solutions de relais la nuit et le week-end pour les demandes qui ne relèvent pas de l'urgence.",
            "Des orientations arrivent sans contact préalable avec la cellule.",
            "",
        ],
        "to_share": [
            "Journée portes ouvertes de l'hôpital reportée au printemps.",
            "",
            "La fiche d'orientation vers la cellule a été simplifiée.",
        ],
    },
    "polaris": {
        "news": [
            "La ligne d'appels cliniques est ouverte en semaine de 8 h à 20 h.",
            "Élargissement des horaires de la ligne à l'étude avec la direction.",
            "Un psychiatre supplémentaire assure des permanences sur la ligne.",
        ],
        "capacity": [
            "Réponse le jour même pour les appels des professionnels.",
            "Volume d'appels en hausse de près d'un tiers depuis la rentrée.",
            "Capacité normale.",
        ],
        "difficulties": [
            "Après 20 h, les professionnels ne savent pas toujours vers qui se tourner.",
            "Certains appels concernent des services que la ligne ne connaît pas encore bien.",
            "",
        ],
        "to_share": [
            "Présentation de la ligne possible lors des réunions d'équipe des partenaires.",
            "",
            "Rapport d'activité trimestriel disponible.",
        ],
    },
}

THEMES = {
    "continuite": "Continuité des soins",
    "delais": "Accès et délais",
    "transition": "Transition enfants-adultes",
    "communication": "Communication entre opérateurs",
    "formation": "Formation",
    "hebergement": "Hébergement",
}

# The needs: key → (raised on, by, title, description, themes, operators concerned).
NEEDS = {
    "delais": (
        _d(9, 1),
        "emism",
        "Connaître les délais de prise en charge des équipes mobiles",
        "Pouvoir indiquer aux professionnels qui nous sollicitent le délai réaliste d'intervention des "
        "équipes mobiles enfants-ados et adultes.",
        ["delais"],
        ["pleiade", "fil-rouge-tribu-mobile"],
    ),
    "relais": (
        _d(9, 8),
        "polaris",
        "Relais de nuit et de week-end entre la ligne d'appels cliniques et l'accueil psychiatrique",
        "Savoir vers qui orienter les professionnels qui appellent en dehors des heures d'ouverture de la "
        "ligne, quand la demande ne relève pas des urgences.",
        ["continuite"],
        ["canopee"],
    ),
    "annuaire": (
        _d(9, 8),
        "pleiade",
        "Annuaire partagé des permanences téléphoniques des opérateurs",
        "Disposer d'une liste à jour des numéros de permanence et des horaires de chaque opérateur carrefour.",
        ["communication"],
        [],
    ),
    "transition": (
        _d(9, 15),
        "fil-rouge-tribu-mobile",
        "Transition entre les dispositifs enfants-ados et adultes",
        "Organiser le passage de relais entre l'équipe mobile enfants-ados et les services adultes, pour "
        "éviter les ruptures de suivi au moment du changement de dispositif.",
        ["transition", "continuite"],
        ["pleiade", "canopee"],
    ),
    "interpretes": (
        _d(9, 22),
        "pleiade",
        "Accès à un service d'interprétariat lors des interventions à domicile",
        "Pouvoir faire appel rapidement à un interprète, y compris par téléphone, lors des visites des "
        "équipes mobiles.",
        ["delais"],
        [],
    ),
    "hebergement": (
        _d(10, 6),
        "emism",
        "Visibilité sur les places d'hébergement de crise disponibles",
        "Savoir chaque semaine quelles places d'hébergement de crise sont disponibles dans la province.",
        ["hebergement"],
        ["canopee", "pleiade"],
    ),
    "formation": (
        _d(10, 20),
        "canopee",
        "Formation commune à l'évaluation du risque suicidaire",
        "Proposer aux équipes des opérateurs une formation commune, pour partager un même langage lors des "
        "orientations.",
        ["formation"],
        [],
    ),
    "conges": (
        _d(11, 24),
        "canopee",
        "Partage des disponibilités des équipes pendant les congés de fin d'année",
        "Connaître, avant les congés, les permanences et fermetures de chaque opérateur.",
        ["continuite", "communication"],
        [],
    ),
}

# What happened in each session besides the info round, in order:
# ("mention", need) · ("endorse", need, operator) · ("confirm", need) · ("close", need, stage, reason)
# ("decision", key, text, need or None) · ("action", key, operator, text, due, need, decision)
# ("action_close", key, status, comment)
EVENTS = {
    _d(9, 1): [
        (
            "decision",
            "ordre",
            "Le tour de table suit l'ordre alphabétique des opérateurs ; chaque opérateur complète sa "
            "contribution la veille de la séance.",
            None,
        ),
        ("action", "fiche", "emism", "Diffuser aux opérateurs la fiche de contact des permanences de crise.", _d(9, 8)),
    ],
    _d(9, 8): [
        ("mention", "delais"),
        ("action_close", "fiche", "done", "Fiche envoyée à tous les opérateurs."),
        (
            "action",
            "calendrier",
            "pleiade",
            "Transmettre le calendrier des permanences des équipes mobiles pendant le congé d'automne.",
            _d(10, 20),
        ),
    ],
    _d(9, 15): [
        ("mention", "relais"),
        ("endorse", "annuaire", "emism"),
        ("endorse", "annuaire", "polaris"),
        (
            "decision",
            "conduite",
            "Adopter dès le 22 septembre une conduite de réunion révisée : tour de table de 3 minutes par "
            "opérateur et point « besoins de coopération » avant le suivi des actions.",
            None,
        ),
    ],
    _d(9, 22): [
        ("endorse", "relais", "canopee"),
        ("endorse", "delais", "polaris"),
    ],
    _d(9, 29): [
        ("endorse", "relais", "emism"),
        ("mention", "transition"),
        (
            "decision",
            "procedure",
            "Canopée et Polaris rédigent une procédure commune de relais pour les nuits et les week-ends.",
            "relais",
        ),
        (
            "action",
            "note-relais",
            "canopee",
            "Rédiger avec Polaris une note de procédure sur les relais de nuit et de week-end.",
            _d(11, 10),
            "relais",
            "procedure",
        ),
    ],
    _d(10, 6): [
        ("endorse", "delais", "canopee"),
        ("close", "annuaire", "closed", "L'annuaire des permanences est tenu à jour dans le répertoire Carrefour."),
    ],
    _d(10, 13): [
        ("confirm", "hebergement"),
        (
            "action",
            "presentation",
            "polaris",
            "Présenter la ligne d'appels cliniques aux équipes mobiles adultes lors de leur réunion mensuelle.",
            _d(11, 17),
        ),
    ],
    _d(10, 20): [
        ("action_close", "calendrier", "done", "Calendrier transmis ; il sera aussi diffusé pour les congés d'hiver."),
    ],
    _d(11, 3): [
        (
            "close",
            "interpretes",
            "dropped",
            "Besoin relayé vers le groupe de travail provincial sur l'interprétariat social.",
        ),
        (
            "action",
            "aide-jeunesse",
            "fil-rouge-tribu-mobile",
            "Proposer une rencontre avec les services de l'aide à la jeunesse sur les orientations entre dispositifs.",
            _d(11, 24),
        ),
    ],
    _d(11, 10): [
        ("mention", "hebergement"),
        (
            "action",
            "recensement",
            "pleiade",
            "Recenser les places d'hébergement de crise disponibles dans la province.",
            _d(12, 1),
        ),
    ],
    _d(11, 17): [
        ("mention", "delais"),
        ("action_close", "presentation", "done", "Présentation faite le 12 novembre ; support partagé."),
    ],
    _d(11, 24): [
        ("action_close", "recensement", "dropped", "Repris par le groupe de travail provincial sur l'hébergement."),
        (
            "decision",
            "evaluation",
            "L'évaluation finale de l'expérimentation est rédigée avec les opérateurs : questionnaire à renvoyer "
            "pour le 11 décembre.",
            None,
        ),
        (
            "action",
            "questionnaire",
            "emism",
            "Renvoyer le questionnaire d'évaluation complété par l'équipe.",
            _d(12, 11),
            None,
            "evaluation",
        ),
        (
            "action",
            "repertoire",
            "polaris",
            "Mettre à jour la présentation de la ligne d'appels cliniques dans le répertoire.",
            None,
        ),
    ],
}

SUMMARIES = {
    _d(9, 1): "Première séance de l'expérimentation. Rappel des balises décidées le 21 août : un échange bref "
    "et ritualisé, structuré autour des besoins de coopération des opérateurs.",
    _d(9, 15): "Les opérateurs trouvent le tour de table trop long : une conduite de réunion révisée "
    "s'appliquera dès la prochaine séance.",
    _d(10, 20): "Le congé d'automne approche : la séance du 27 octobre est annulée.",
    _d(11, 24): "Dernière séance de l'expérimentation. L'évaluation finale sera rédigée avec les opérateurs.",
}

ITEM_NOTES = {
    "opening": "Accueil, rappel du cadre et tour des présences.",
    "info_round": "Chaque opérateur a présenté sa contribution ; voir la compilation du tour de table.",
    "actions": "Revue des actions en cours ; les actions closes sont retirées du suivi.",
    "other_business": "Pas de point divers.",
    "closing": "Prochaine séance le mardi suivant à 13 h 30.",
}


def _moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return _brussels(day, hour, minute)


class _Season:
    """Writes the Namur season through the services, then dates what they wrote."""

    def __init__(self, series):

        self.series = series
        self.claire = User.objects.get(email="claire.dubois@pfcsm.example")
        self.operators = {o.slug: o for o in Operator.objects.filter(slug__in=CARREFOUR_SLUGS)}
        self.referents = {}
        self.members = {}
        for slug, operator in self.operators.items():
            for m in operator.memberships.select_related("user").order_by("pk"):
                target = self.referents if m.role == MembershipRole.REFERENT else self.members
                target.setdefault(slug, m.user)
        self.sessions = {s.starts_at.astimezone(BRUSSELS).date(): s for s in series.sessions.order_by("starts_at")}
        self.needs, self.decisions, self.actions = {}, {}, {}
        self.answers = {}  # (date, slug) → {question kind: InfoRoundAnswer}
        self.stamped = [
            (NeedStageChange, ("at",)),
            (NeedMention, ("created_at",)),
            (NeedEndorsement, ("created_at",)),
            (CooperationNeed, ("created_at", "updated_at", "stage_changed_at")),
            (Decision, ("created_at",)),
            (Action, ("created_at",)),
            (MinutesRevision, ("created_at",)),
            (MinutesCorrection, ("created_at",)),
            (Attendance, ("recorded_at",)),
            (AuditEvent, ("at",)),
        ]

    def _at(self, moment, write, *args, **kwargs):
        """Run `write`, then date what it created at `moment`."""
        marks = {model: model.objects.aggregate(m=Max("pk"))["m"] or 0 for model, _ in self.stamped}
        result = write(*args, **kwargs)
        for model, fields in self.stamped:
            model.objects.filter(pk__gt=marks[model]).update(**dict.fromkeys(fields, moment))
        return result

    # The agenda ---------------------------------------------------------------

    def agenda(self):
        v1 = agenda_services.agenda_template_ensure(series=self.series, actor=self.claire)
        launch = _moment(_d(8, 21), 11, 30)
        AgendaTemplate.objects.filter(pk=v1.pk).update(created_at=launch, published_at=launch)
        sessions = [self.sessions[day] for day in sorted(self.sessions)]
        agenda_services.agenda_apply(sessions=sessions[:3], template=v1, replace=True)
        v2 = agenda_services.agenda_template_prepare(actor=self.claire, series=self.series)
        items = {i.kind: i for i in v2.items.all()}
        agenda_services.template_item_update(
            actor=self.claire,
            item=items[AgendaItemKind.INFO_ROUND],
            title="Tour de table des opérateurs (3 minutes chacun)",
            kind=AgendaItemKind.INFO_ROUND,
            timebox=15,
            presenter_role=items[AgendaItemKind.INFO_ROUND].presenter_role,
        )
        needs_item = items[AgendaItemKind.NEEDS]
        agenda_services.template_item_update(
            actor=self.claire,
            item=needs_item,
            title="Besoins de coopération : émergence, stabilisation, convergence",
            kind=AgendaItemKind.NEEDS,
            timebox=20,
            presenter_role=needs_item.presenter_role,
        )
        agenda_services.template_item_move(actor=self.claire, item=needs_item, direction="up")
        shared = agenda_services.template_item_add(
            actor=self.claire, template=v2, title="Informations à partager", kind=AgendaItemKind.OTHER, timebox=5
        )
        for _step in range(2):  # before "any other business" and the closing
            agenda_services.template_item_move(actor=self.claire, item=shared, direction="up")
        agenda_services.template_question_add(
            actor=self.claire,
            template=v2,
            prompt="Météo de capacité de votre service cette semaine",
            help_text="Disponible, sous tension ou saturé ; le délai d'attente et les places si vous les connaissez.",
            kind="capacity",
            answer_type=AnswerType.CAPACITY,
            asks_waiting_days=True,
            asks_places=True,
        )
        agenda_services.agenda_template_publish(
            actor=self.claire, template=v2, change_note=NAMUR_V2_NOTE, now=_moment(_d(9, 16), 10)
        )
        AgendaTemplate.objects.filter(pk=v2.pk).update(created_at=_moment(_d(9, 15), 15))
        agenda_services.agenda_apply(sessions=sessions[3:], template=v2, replace=True)

    # The info round -------------------------------------------------------------

    def info_round(self, day, session):
        questions = info_round_questions(session)
        index = sorted(self.sessions).index(day)
        raised_here = {need[1]: need for need in NEEDS.values() if need[0] == day}
        for n, slug in enumerate(CARREFOUR_SLUGS):
            if (day, slug) in ROUND_MISSING:
                continue
            late = (day, slug) in ROUND_LATE
            nothing_new = (day, slug) in ROUND_NOTHING_NEW
            author = self.members[slug] if (index + n) % 3 == 0 else self.referents[slug]
            if late:
                submitted = session.starts_at - datetime.timedelta(hours=3, minutes=10 * n)
            else:
                submitted = session.starts_at - datetime.timedelta(days=1, hours=20 - 2 * n)
            entry = InfoRoundEntry.objects.create(
                session=session,
                operator=self.operators[slug],
                status=InfoRoundEntry.Status.SUBMITTED,
                nothing_new=nothing_new,
                is_late=late,
                submitted_at=submitted,
                submitted_by=author,
                updated_by=author,
                version=1 if nothing_new else 2,
            )
            InfoRoundEntry.objects.filter(pk=entry.pk).update(updated_at=submitted)
            texts = ROUND_TEXTS[slug]
            answers = {}
            for question in questions:
                if question.answer_type == AnswerType.CAPACITY:
                    answers["capacity_signal"] = self._signal(day, slug, entry, question)
                    continue
                if nothing_new:
                    text = ""
                elif question.kind == "needs":
                    need = raised_here.get(slug)
                    text = f"{need[2]}. {need[3]}" if need else ""
                else:
                    pool = texts.get(question.kind, [""])
                    text = pool[(index + n) % len(pool)]
                answers[question.kind] = InfoRoundAnswer.objects.create(
                    entry=entry, question=question, text=text[: question.max_length]
                )
            self.answers[(day, slug)] = answers

    def _signal(self, day, slug, entry, question):
        week = [d for d in self.held if d >= CAPACITY_FROM]
        n = week.index(day)
        level = CAPACITY[slug][n]
        waiting = CAPACITY_WAITING.get(slug, [None] * len(week))[n] if level else None
        return InfoRoundAnswer.objects.create(
            entry=entry,
            question=question,
            capacity=level,
            waiting_days=waiting,
            places=0 if level == "saturated" else None,
        )

    # Attendance -------------------------------------------------------------------

    def attendance(self, day, session):
        rows = []
        for n, slug in enumerate(CARREFOUR_SLUGS):
            operator = self.operators[slug]
            if (day, slug) in ROUND_MISSING:
                status = Attendance.Status.EXCUSED if n % 2 == 0 else Attendance.Status.ABSENT
            else:
                status = Attendance.Status.PRESENT
            rows.append(Attendance(session=session, operator=operator, status=status, recorded_by=self.claire))
            if status == Attendance.Status.PRESENT:
                rows.append(
                    Attendance(
                        session=session,
                        operator=operator,
                        user=self.referents[slug],
                        status=status,
                        recorded_by=self.claire,
                    )
                )
                member_status = Attendance.Status.PRESENT if (day.day + n) % 2 == 0 else Attendance.Status.EXCUSED
                rows.append(
                    Attendance(
                        session=session,
                        operator=operator,
                        user=self.members[slug],
                        status=member_status,
                        recorded_by=self.claire,
                    )
                )
        Attendance.objects.bulk_create(rows)
        Attendance.objects.filter(session=session).update(recorded_at=session.starts_at + datetime.timedelta(minutes=5))

    # Needs, decisions and actions --------------------------------------------------

    def events(self, day, session):
        items = {i.kind: i for i in session.agenda_items.all()}
        during = session.starts_at + datetime.timedelta(minutes=20)
        for key, (raised_on, slug, title, description, themes, concerned) in NEEDS.items():
            if raised_on != day:
                continue
            answer = self.answers.get((day, slug), {}).get("needs")
            self.needs[key] = self._at(
                during,
                need_services.need_raise,
                actor=self.referents[slug],
                series=self.series,
                operator=self.operators[slug],
                title=title,
                description=description,
                themes=[Theme.objects.get_or_create(slug=t, defaults={"name": THEMES[t]})[0] for t in themes],
                operators_concerned=[self.operators[s] for s in concerned],
                session=session,
                source_answer=answer if answer is not None and answer.text else None,
            )
        later = session.starts_at + datetime.timedelta(minutes=35)
        for event in EVENTS.get(day, []):
            kind, key = event[0], event[1]
            if kind == "mention":
                self._at(
                    later,
                    need_services.need_mention,
                    actor=self.claire,
                    need=self.needs[key],
                    session=session,
                    note="Évoqué à nouveau lors du tour de table.",
                )
            elif kind == "endorse":
                slug = event[2]
                self._at(
                    later,
                    need_services.need_endorse,
                    actor=self.referents[slug],
                    need=self.needs[key],
                    operator=self.operators[slug],
                    comment="Nous rencontrons le même besoin.",
                )
            elif kind == "confirm":
                self._at(later, need_services.need_confirm, actor=self.claire, need=self.needs[key], session=session)
            elif kind == "close":
                self._at(
                    later,
                    need_services.need_close,
                    actor=self.claire,
                    need=self.needs[key],
                    stage=event[2],
                    reason=event[3],
                )
            elif kind == "decision":
                need = self.needs.get(event[3]) if event[3] else None
                item = items.get(AgendaItemKind.NEEDS if need else AgendaItemKind.OTHER_BUSINESS)
                self.decisions[key] = self._at(
                    later,
                    action_services.decision_record,
                    actor=self.claire,
                    session=session,
                    text=event[2],
                    agenda_item=item,
                    need=need,
                )
            elif kind == "action":
                slug, text, due = event[2], event[3], event[4]
                need = self.needs.get(event[5]) if len(event) > 5 and event[5] else None
                decision = self.decisions.get(event[6]) if len(event) > 6 and event[6] else None
                self.actions[key] = self._at(
                    later,
                    action_services.action_record,
                    actor=self.claire,
                    session=session,
                    description=text,
                    owner_operator=self.operators[slug],
                    owner_user=self.referents[slug],
                    due_date=due,
                    agenda_item=items.get(AgendaItemKind.NEEDS if need else AgendaItemKind.ACTIONS),
                    need=need,
                    decision=decision,
                )
            elif kind == "action_close":
                action = self.actions[key]
                owner = self.referents[action.owner_operator.slug]
                self._at(
                    later, action_services.action_close, actor=owner, action=action, status=event[2], comment=event[3]
                )
                Action.objects.filter(pk=action.pk).update(closed_at=later)

    # Minutes ----------------------------------------------------------------------

    def minutes(self, day, session, *, publish: bool):
        end = session.ends_at
        minutes = Minutes.objects.create(session=session, updated_by=self.claire)
        notes = {}
        discussed = [m.need.title for m in session.need_mentions.select_related("need").order_by("pk")]
        for item in session.agenda_items.all():
            if item.kind == AgendaItemKind.NEEDS:
                text = (
                    "Besoins évoqués : " + " ; ".join(discussed) + "."
                    if discussed
                    else "Aucun nouveau besoin de coopération cette semaine."
                )
            elif item.kind == AgendaItemKind.MINUTES_APPROVAL:
                text = "Compte rendu provisoire approuvé ; la correction proposée par Polaris est acceptée."
            else:
                text = ITEM_NOTES.get(item.kind, "Informations échangées, sans suite particulière.")
            notes[item.pk] = (text, item.notes_version)
        summary = SUMMARIES.get(day, "Séance tenue selon la conduite de réunion en vigueur.")
        minutes = self._at(
            end + datetime.timedelta(hours=1),
            minutes_services.minutes_save,
            actor=self.claire,
            minutes=minutes,
            summary=summary,
            version=minutes.version,
            notes=notes,
        )
        AgendaItem.objects.filter(session=session).update(
            notes_updated_by=self.claire, notes_updated_at=end + datetime.timedelta(hours=1)
        )
        if day == APPROVED_NEXT_FROM:
            self.provisional(day, session, minutes)
            return
        approved_at = _moment(day + datetime.timedelta(days=2), 10)
        minutes = self._at(
            approved_at,
            minutes_services.minutes_transition,
            actor=self.claire,
            minutes=minutes,
            to=Minutes.Status.APPROVED,
            version=minutes.version,
            now=approved_at,
        )
        last = approved_at
        if publish:
            last = _moment(day + datetime.timedelta(days=3), 9)
            self._at(
                last,
                minutes_services.minutes_transition,
                actor=self.claire,
                minutes=minutes,
                to=Minutes.Status.PUBLISHED,
                version=minutes.version,
                now=last,
            )
        Minutes.objects.filter(pk=minutes.pk).update(created_at=end, updated_at=last)

    def provisional(self, day, session, minutes):
        """Publish the minutes of `day` as provisional, to be approved at the
        next session; Polaris proposes a correction on the needs item."""
        published = _moment(day + datetime.timedelta(days=1), 9)
        minutes = self._at(
            published,
            minutes_services.minutes_transition,
            actor=self.claire,
            minutes=minutes,
            to=Minutes.Status.PUBLISHED,
            version=minutes.version,
            now=published,
        )
        slug, kind, text = CORRECTION
        proposed = _moment(day + datetime.timedelta(days=2), 14)
        self._at(
            proposed,
            correction_services.minutes_correction_propose,
            actor=self.referents[slug],
            minutes=minutes,
            text=text,
            agenda_item=session.agenda_items.get(kind=kind),
            now=proposed,
        )
        Minutes.objects.filter(pk=minutes.pk).update(created_at=session.ends_at, updated_at=published)

    def approve_provisional(self, session):
        """Tick the approval item of `session` during the meeting, the correction accepted."""
        item = session.agenda_items.filter(kind=AgendaItemKind.MINUTES_APPROVAL).first()
        if item is None:
            return
        during = session.starts_at + datetime.timedelta(minutes=4)
        decisions = dict.fromkeys(
            item.minutes_to_approve.corrections.values_list("pk", flat=True), MinutesCorrection.Status.ACCEPTED
        )
        # The approval is made in a meeting under way: the session is planned again for that moment.
        Session.objects.filter(pk=session.pk).update(status=Session.Status.PLANNED)
        session.refresh_from_db()
        self._at(
            during,
            minutes_services.minutes_approve_at_session,
            actor=self.claire,
            item=item,
            decisions=decisions,
            now=during,
        )
        Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)

    def absences(self):
        emism = self.operators["emism"]
        Absence.objects.create(
            operator=emism,
            starts_on=EMISM_AWAY[0],
            ends_on=EMISM_AWAY[1],
            substitute=self.members["emism"],
            declared_by=self.referents["emism"],
        )

    def run(self):

        self.agenda()
        self.absences()
        held = [day for day in sorted(self.sessions) if self.sessions[day].status == Session.Status.HELD]
        self.held = held
        for day in held:
            session = self.sessions[day]
            if day == APPROVED_NEXT_FROM:
                # The coordinators try approval at the next session; the next session is still to come.
                Series.objects.filter(pk=self.series.pk).update(minutes_approved_at_next_session=True)
                self.series.refresh_from_db()
                later = [self.sessions[d].pk for d in held if d > day]
                Session.objects.filter(pk__in=later).update(status=Session.Status.PLANNED)
            self.approve_provisional(session)
            self.info_round(day, session)
            self.attendance(day, session)
            self.events(day, session)
            # The minutes of the last session are approved, waiting to be published.
            self.minutes(day, session, publish=day != held[-1])
        last_change = (
            NeedStageChange.objects.filter(need=OuterRef("pk"))
            .order_by()
            .values("need")
            .annotate(m=Max("at"))
            .values("m")
        )
        CooperationNeed.objects.filter(series=self.series).update(
            stage_changed_at=Subquery(last_change), updated_at=Subquery(last_change)
        )


def _seed_namur_season() -> None:
    series = Series.objects.filter(name=NAMUR_SERIES).first()
    if series is None or Minutes.objects.filter(session__series=series).exists():
        return
    _Season(series).run()


def _seed_archipel_agenda() -> None:
    """The Archipel sessions to come have the agenda of the series' template."""
    series = Series.objects.filter(name=ARCHIPEL_SERIES).first()
    if series is None:
        return
    template = agenda_services.agenda_template_ensure(series=series)
    agenda_services.agenda_apply(sessions=list(series.sessions.filter(agenda_items__isnull=True)), template=template)


@transaction.atomic
def seed_ritual() -> None:
    """The Namur season (agenda versions, info rounds, minutes, decisions,
    actions and needs) and the agenda of the Archipel sessions to come."""
    _seed_namur_season()
    _seed_archipel_agenda()


# --- Things due now: what a newcomer sees arrive under `make run` --------------
#
# The pilot lies in 2020 and Archipel meets in 2027; for the notifications to
# show something within a minute of `make run`, the demo keeps a slot poll
# open for Archipel's 2028 calendar (its deadline two days ahead: an
# invitation, then a reminder to the operators that have not answered) and a
# join request waiting for Archipel's coordinators. The emails land as files
# under var/mail/.

ARCHIPEL_POLL = "Rencontres 2028 : quel moment de la semaine ?"


@transaction.atomic
def seed_due_now(now: datetime.datetime | None = None) -> None:
    """Idempotent: the poll's deadline is moved two days ahead again when it has passed."""

    now = now or timezone.now()
    series = Series.objects.filter(name=ARCHIPEL_SERIES).first()
    if series is None:
        return
    helene = User.objects.get(email="helene.jacquet@archipel.example")
    deadline = now + datetime.timedelta(days=2)
    poll = SlotPoll.objects.filter(series=series, title=ARCHIPEL_POLL).first()
    if poll is None:
        poll_create(
            actor=helene,
            series=series,
            title=ARCHIPEL_POLL,
            message="Pour préparer le calendrier 2028, indiquez les moments qui conviennent à votre équipe.",
            deadline=deadline,
            slots=[(1, datetime.time(9, 30), 150), (3, datetime.time(13, 30), 150)],
        )
    elif poll.status == SlotPoll.Status.OPEN and poll.deadline <= now:
        SlotPoll.objects.filter(pk=poll.pk).update(deadline=deadline)
    canopee = Operator.objects.get(slug="canopee")
    if not JoinRequest.objects.filter(series=series, operator=canopee).exists():
        join_request_create(
            actor=User.objects.get(email="isabelle.henrard@beauvallon.example"),
            series=series,
            operator=canopee,
            message="Canopée accueille des adolescents du Brabant wallon : nous aimerions suivre ces rencontres.",
        )
