"""The demo data: the Namur pilot of September–November 2020 (seed 000).

Every function is idempotent: running `seed_demo` twice leaves one copy.
Names of people are invented; services are those the seed names.
"""

import datetime
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_make_coordinator
from operators.models import MembershipRole, Operator, OperatorPublic, Public, Territory
from operators.services import _search_text

DEMO_PASSWORD = "carrefour-demo-2020"
BRUSSELS = ZoneInfo("Europe/Brussels")

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


def _operator(territory, data, kind=None, publics=()) -> Operator:
    fields = {k: v for k, v in data.items() if k not in ("slug", "publics")}
    fields.setdefault("kind", kind)
    operator, _ = Operator.objects.update_or_create(slug=data["slug"], defaults={**fields, "territory": territory})
    operator.search_text = _search_text(operator)
    operator.save(update_fields=["search_text"])
    for public in data.get("publics", publics):
        OperatorPublic.objects.get_or_create(operator=operator, public=public)
    return operator


def _person(email, name, *, admin=False) -> User:
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
    operators = {d["slug"]: _operator(namur, d) for d in OPERATORS}
    operators.update({d["slug"]: _operator(namur, d, kind=Operator.Kind.NETWORK) for d in NETWORKS})
    logins = []
    for email, name, slug, role in PEOPLE:
        user = _person(email, name, admin=slug is None)
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
    from meetings.models import PollAnswer, PollSlot, Series, Session, SlotPoll
    from meetings.services.polls import poll_close
    from meetings.services.series import series_create
    from meetings.services.sessions import session_cancel

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
    from meetings.models import Series
    from meetings.services.series import series_create
    from meetings.services.sessions import calendar_date_add, series_set_recurrence

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


@transaction.atomic
def seed_meetings() -> list[tuple[str, str, str]]:
    """The Namur pilot (poll, weekly sessions) and the Archipel clinical calendar; returns more logins."""
    brabant = Territory.objects.get(slug="brabant-wallon")
    for data in BRABANT_OPERATORS:
        _operator(brabant, data)
    _operator(
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
        user = _person(email, name)
        operator = Operator.objects.get(slug=slug)
        logins.append((email, str(getattr(role, "label", role)), operator.short_name))
        if role == "coordinator":
            user_make_coordinator(user=user)
            role = MembershipRole.MEMBER
        operator.memberships.update_or_create(user=user, defaults={"role": role})
    _seed_namur_series()
    _seed_archipel_series()
    return logins
