"""Seeds 001 and 003 rebuilt as consultations: the 38 proposals of "Votre opinion compte ! #1"
pasted from the seed's own text through the coordinators' paste service, grouped into themes,
some answered, the synthesis published with the next session (17 May 2021, 13:30–15:30); the
six themes of expectations of the Bassin Nord thematic concertation #1 and its next date."""

import datetime

from django.db import transaction

from accounts.models import User
from consultations import services
from consultations.models import Contribution, Synthesis
from meetings.models import Series, Session
from meetings.services.series import series_create
from operators.models import Operator
from registrations.models import Answer, Question, Registration

from .demo import BRUSSELS
from .demo_registrations import BASSIN_NORD_SERIES

# The list as it reads in seed 001 (a PDF's text: bullets, wrapped lines, blank lines).
SEED_001_PROPOSALS = """\
• Développer des dispositifs de sentinelles (modèle basé sur des relayant pairs
permettant une intervention rapide au sein des public cible)

• Mettre en avant le rôle et l’expertise des maisons médicales.

• Mettre à disposition des acteurs de la première ligne un numéro unique dédié à la
santé mentale pour faciliter et accompagner les relais.

• Créer des lieux accueils de jour bas seuil et dédiés spécifiquement aux
adolescents.

• Créer des dispositifs alternatifs qui touchent spécifiquement  le public qui ne
fréquentent pas les structures existantes.

• Structurer et renforcer les interventions  à domicile dans une logique de réseau.

• Prendre appui sur le réseau des SSM qui se déploient actuellement dans les
différents bassins de vie.

• S’assurer que les dispositifs de première ligne puissent relayer vers des services
qui peuvent offrir un accompagnement sur la durée.

• Renforcer les équipes existantes qui disposent déjà de la confiance des
bénéficiaires en y organisant des permanences régulières de psychologue.

• Créer un site internet pour faire connaitre l’offre de services au niveau du soins
en santé mentale.

• Soutenir la création d’accompagnements alternatifs et/ou créatifs pour accéder à
de nouveaux publics qui s’expriment peu par la parole.

• Soutenir la création et le renforcement de dispositifs dédiés  à la famille et aux
jeunes enfants (secteur périnatalité)

• Faciliter la prise en charge des troubles psychiques parmi les usagers de drogue.

• Soutenir la présence de travailleur hospitalier dans les services ambulatoires.
(fonction de psychologues de liaison)

• Soutenir la mise en œuvre et le développement du SISD au sein de la province
pour faciliter les processus de concertation.

• Insister sur l’approche ambulatoire des troubles psychiques dans le cursus de
formation initiale des médecins spécialisés.

• Collaborer et former les PEPs (ex-TMS) de l’ONE  dans une démarche de détection
préventive.

• Améliorer la connaissance des besoins réelles sur le territoire pour éviter de
référer aux données épidémiologiques généralistes  de l’OMS.

• Créer des synergies avec les aides familiales qui sont en 1° ligne dans les familles.

• Soutenir les accompagnements sociaux  dans les équipes et les trajectoires de
soin.

• Faciliter et soutenir l’accès et la collaboration avec les médecins spécialisés.

• Soutenir les personnes qui présentent une plainte, mais pas encore de demande
précise, dans les lieux de proximité.
 • Susciter des campagnes à destination du grand public autour de la promotion de
la bonne santé mentale (estime de soin souci de l’autre, etc. ).

• Prendre appui sur l’expertise de Similes pour sensibiliser les agents actifs dans la
première ligne.

• Prendre appui sur l’expertise des personnes dans un parcours de rétablissement
(logique de la pairs aidance)

• Soutenir des dispositifs où parent et enfants peuvent être pris en charge de
manière simultanée.

• Augmenter les collaborations et la présence dans les MR/MRS

• Renforcer la formation sur tous les aspects de la psychogériatrie.

• Soutenir et amplifier les dispositifs de santé communautaire  ancrés sur un
territoire précis .

• Soutenir des approches à bas seuil  non centré sur une problématique psychique
identifiée.

• Faciliter et organiser les transitions entre les accompagnements centrés sur un
enfant vers les parents et vice-versa.

• Soutenir l’accès aux soins à partir d’un dispositif mobile (exemple : camionnette
aménagée) dans les territoires ruraux ou éloignés des services spécialisés

• S’appuyer sur l’expertise des services d’aide en milieu ouvert (AMO)

• Soutenir des approches plus systémiques dans les accompagnements actuels.

• S’appuyer sur l’expertise des médecins généralistes et des maisons médicales
pour développer des approches plus systémiques.

• S’appuyer sur l’expertise des écoles de devoirs et/ou des lieux de rencontre
maman-bébé , etc.

• Maintenir et amplifier des lieux pluridisciplinaires à bas seuil ou/et basés sur la
gratuité.

• Développer des approches préventives à destination des personnes âgées.
"""

SEED_001_SERIES = "Votre opinion compte ! — renforcement de la 1ère ligne SM"
SEED_001_CONTEXT = """\
La CIM Santé publique a adopté le 2 décembre 2021 un protocole visant le renforcement de la première ligne de soins \
psychologiques dans le cadre de la pandémie COVID-19. Les modalités visant la mise en place de ce protocole sont en \
cours de discussion à l'échelon national. L'opérationnalisation de ces modalités devra se faire compte tenu des \
réalités locales.

« Votre opinion compte ! » est une initiative de la Plate-forme Namuroise de concertation en Santé Mentale, du Réseau \
Santé Kirikou et du Réseau Santé Namur, en collaboration avec RASANAM et le Relais Social Urbain Namurois.

Une première visioconférence s'est tenue ce 26 avril 2021 de 13h30 à 15h30. À cette occasion, il a été présenté les \
premiers résultats d'un GT de la plateforme. Lors de cet échange avec des partenaires intersectoriels, différentes \
propositions complémentaires ont été émises par les participants présents. Ce document de travail vise d'une part à \
synthétiser les propositions émises et d'autre part à éventuellement permettre de relancer les discussions dans \
d'autres instances.

La collaboration entre les réseaux est une opportunité à saisir pour structurer et faciliter les échanges sur la \
province de Namur."""
# The demo's grouping of the 38 proposals (their numbers in the seed's order, from 1).
SEED_001_THEMES = [
    ("Dispositifs de proximité et bas seuil", [1, 4, 5, 6, 22, 29, 30, 32, 37]),
    ("Familles, jeunes et aînés", [12, 17, 19, 26, 27, 28, 31, 36, 38]),
    ("Réseau et collaborations", [2, 7, 8, 9, 14, 15, 20, 33, 34, 35]),
    ("Formation, sensibilisation et connaissance de l'offre", [3, 10, 11, 13, 16, 18, 21, 23, 24, 25]),
]
# (proposal number, status, reason): the first answers of the coordinators.
SEED_001_ANSWERS = [
    (3, "in_progress", "Relayé vers le groupe de travail « numéro unique » de la plateforme."),
    (10, "retained", ""),
    (15, "done", "Présenté au comité de pilotage du SISD en mai 2021."),
    (
        17,
        "not_retained",
        "Relève de l'ONE et non de la première ligne psychologique ; à relayer vers ses instances.",
    ),
]
# Seed 003: its six themes, what the participants said of each, and the "► Attentes".
SEED_003_THEMES = [
    (
        "Cartographie",
        "Intérêt dans la mise à disposition d'un outil permettant d'identifier les acteur·rices et leurs liens afin "
        "d'avoir une meilleure vision de l'offre disponible sur le territoire.",
        "création d'une forme de cartographie et/ou d'un répertoire.",
    ),
    (
        "Réseau et collaboration",
        "Besoin de mieux se connaître pour améliorer l'accompagnement ou l'orientation des personnes présentant des "
        "besoins de prise en charge en santé mentale.",
        "améliorer la connaissance que les participant·es ont du secteur de la santé mentale, créer des "
        "collaborations et des réseaux.",
    ),
    (
        "Formation, sensibilisation et information",
        "Sentiment d'être démun·es dans l'accompagnement de bénéficiaires ayant des problèmes de santé mentale.",
        "sensibilisation, formation et information pour être mieux outillé·es pour appréhender les situations "
        "auxquelles les participant·es sont confronté·es au quotidien.",
    ),
    (
        "Travail sur des thématiques spécifiques",
        "Type de public : femmes enceintes, primo-arrivant·es, par type de trouble…",
        "clarifier si ces thématiques pourraient être travaillées à l'échelle du bassin.",
    ),
    (
        "Continuité avec le travail fait par le passé",
        "Crainte de repartir d'une page blanche sans tenir compte du travail déjà effectué jusqu'à présent sur les "
        "questions de santé mentale.",
        "repartir des constats faits par l'antenne 107.",
    ),
    (
        "Plaidoyer",
        "Besoin de développer une fonction de plaidoyer.",
        "clarifier les mécanismes qui permettraient de relayer les constats vers les unions professionnelles, "
        "fédérations et autres acteurs assurant cette fonction de plaidoyer.",
    ),
]


# What a few of the professionals registered to the next date answered to "Vos attentes":
# the series' contribution question, so each answer becomes an expectation of that session.
NEXT_EXPECTATIONS = [
    "Savoir qui fait quoi dans le bassin : une cartographie à jour des services.",
    "Repartir des constats de la première rencontre plutôt que d'une page blanche.",
    "Des temps d'intervision entre professionnel·les de la première ligne.",
]


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def _seed_001() -> None:
    claire = User.objects.get(email="claire.dubois@pfcsm.example")
    if Series.objects.filter(name=SEED_001_SERIES).exists():
        return
    series = series_create(
        actor=claire,
        name=SEED_001_SERIES,
        kind=Series.Kind.CONSULTATION,
        description="Une consultation des partenaires intersectoriels de la province de Namur.",
        coordinators=User.objects.filter(email__in=["marc.lambert@rsn.example", "sophie.renard@kirikou.example"]),
        organisations=Operator.objects.filter(slug__in=["pfcsm-namur", "reseau-sante-namur", "reseau-sante-kirikou"]),
        default_duration=120,
        video_provider=Series.VideoProvider.JITSI,
    )
    first = Session.objects.create(
        series=series,
        starts_at=_at(datetime.date(2021, 4, 26), 13, 30),
        ends_at=_at(datetime.date(2021, 4, 26), 15, 30),
        status=Session.Status.HELD,
        is_extra=True,
        is_customised=True,
    )
    Session.objects.create(
        series=series,
        starts_at=_at(datetime.date(2021, 5, 17), 13, 30),
        ends_at=_at(datetime.date(2021, 5, 17), 15, 30),
        is_extra=True,
        is_customised=True,
    )
    # The coordinators' own way: the list pasted from the working document.
    proposals = services.contributions_paste_save(
        actor=claire, session=first, text=SEED_001_PROPOSALS, kind=Contribution.Kind.PROPOSAL
    )
    for name, numbers in SEED_001_THEMES:
        theme = services.theme_create(actor=claire, session=first, name=name)
        for number in numbers:
            services.item_move(actor=claire, item=proposals[number - 1], theme=theme)
    for number, status, reason in SEED_001_ANSWERS:
        services.item_answer(actor=claire, item=proposals[number - 1], status=status, reason=reason)
    services.collection_set(actor=claire, session=first, is_open=False)
    services.synthesis_update(
        actor=claire,
        session=first,
        version=1,
        context=SEED_001_CONTEXT,
        thanks="Encore merci aux participants pour leurs contributions.",
        next_starts_at=_at(datetime.date(2021, 5, 17), 13, 30),
        next_ends_at=_at(datetime.date(2021, 5, 17), 15, 30),
        next_place="Visioconférence (le lien suivra)",
    )
    services.synthesis_publish(actor=claire, session=first, now=_at(datetime.date(2021, 5, 3), 10, 0))


def _seed_003() -> None:
    series = Series.objects.filter(name=BASSIN_NORD_SERIES).first()
    if series is None:
        return
    coordinator = series.coordinators.order_by("pk").first()
    sessions = list(Session.objects.filter(series=series).order_by("starts_at"))
    first, upcoming = sessions[0], sessions[-1]
    if Synthesis.objects.filter(session=first).exists():
        return
    _expectations_at_registration(coordinator, series, upcoming)
    for name, said, expectation in SEED_003_THEMES:
        theme = services.theme_create(actor=coordinator, session=first, name=name)
        services.theme_update(actor=coordinator, theme=theme, name=name, statement=expectation, version=theme.version)
        item = services.contribution_record(
            actor=coordinator, session=first, kind=Contribution.Kind.EXPECTATION, text=said
        )
        services.item_move(actor=coordinator, item=item, theme=theme)
    services.collection_set(actor=coordinator, session=first, is_open=False)
    services.synthesis_update(
        actor=coordinator,
        session=first,
        version=1,
        context=(
            "Cette 1ère rencontre avait pour objectifs de lancer une dynamique de concertation à l'échelle du bassin "
            "sur la thématique de la santé mentale et de favoriser l'interconnaissance entre les participant·es.\n\n"
            "Les attentes des participant·es, exprimées oralement ainsi que via un exercice individuel, ont été ici "
            "regroupées selon les thématiques auxquelles elles renvoyaient."
        ),
        thanks=(
            "Chacune des attentes exprimées sera examinée au regard des objectifs de la concertation thématique tels "
            "que présentés ci-dessus."
        ),
        next_starts_at=upcoming.starts_at,
        next_ends_at=upcoming.ends_at,
        next_place=upcoming.venue,
        next_details="Suivie d'un lunch.",
    )
    services.synthesis_publish(actor=coordinator, session=first)


def _expectations_at_registration(coordinator, series, upcoming) -> None:
    """The registration question "Vos attentes" made the contribution question; a few
    registrants' answers run through the same service as the participants' own."""
    question = Question.objects.filter(series=series, text="Vos attentes").first()
    if question is None:
        return
    services.contribution_question_set(actor=coordinator, question=question, kind=Contribution.Kind.EXPECTATION)
    registrations = Registration.objects.filter(series=series, session=upcoming).order_by("pk")
    for registration, text in zip(registrations, NEXT_EXPECTATIONS, strict=False):
        answer, _created = Answer.objects.get_or_create(registration=registration, question=question, text=text)
        services.contribution_from_answer(answer=answer)


@transaction.atomic
def seed_consultations() -> None:
    """Seed 001's consultation with its synthesis published, and seed 003's expectations by theme.
    Idempotent: a second run changes nothing."""
    _seed_001()
    _seed_003()
