"""The demo of the Bassin Sud's help desk (seed 004): "un help desk spécifique par
bassin afin d'aider les travailleurs de terrain dans la prise en charge de
situations complexes, multifactorielles et intersectorielles".

Its team (Karim El Idrissi of the coordination team and Mélanie Dubois), and a
dozen requests of the Bassin Sud's services over the last months, in every
state: new (one of them overdue), in triage, assigned, waiting for the
requester, waiting for a service, handed over to the bassin's coordination as
a cooperation need, and closed with each outcome. The situations are invented
and anonymised. Idempotent: nothing is added when the desk has requests.
"""

import datetime

from django.db.models import F
from django.utils import timezone

from accounts.models import User
from helpdesk.models import HelpDeskMember, MessageKind, NeedKind, Outcome, Request, Sector, Status
from helpdesk.services.requests import (
    contact_record,
    help_desk_of,
    message_post,
    request_close,
    request_hand_over_to_need,
    request_submit,
    request_take,
    request_transition,
)
from meetings.models import Series
from operators.models import MembershipRole, Operator, Territory

from .demo import person_ensure
from .demo_bassins import REFERENTS, SUD_SERIES

TEAM = [
    ("karim.elidrissi@brusano.example", "Karim El Idrissi"),
    ("melanie.dubois@brusano.example", "Mélanie Dubois"),
]

# (requester's operator slug, sectors, need, situation, days ago, what becomes of it)
REQUESTS = [
    (
        "ssm-forest",
        ["mental_health", "youth"],
        "concertation",
        "Adolescente de 15 ans, déscolarisée depuis trois mois, repli à domicile ; la famille est épuisée.",
        1,
        "new",
    ),
    (
        "service-social-midi",
        ["housing", "precariousness"],
        "orientation",
        "Homme d'une cinquantaine d'années, expulsé de son logement, troubles anxieux, pas de médecin traitant.",
        12,
        "overdue",
    ),
    (
        "mm-saint-gilles",
        ["elderly", "mental_health"],
        "advice",
        "Dame âgée vivant seule, oublis fréquents, refuse l'aide à domicile proposée.",
        3,
        "triage",
    ),
    (
        "spad-sud",
        ["addiction", "mental_health"],
        "contact",
        "Jeune adulte suivi à domicile, consommation d'alcool en hausse, cherche un service spécialisé proche.",
        8,
        "assigned",
    ),
    (
        "ssm-forest",
        ["disability", "youth"],
        "orientation",
        "Enfant de 9 ans avec un handicap, la famille cherche un accueil de jour ; longues listes d'attente.",
        15,
        "waiting_requester",
    ),
    (
        "service-social-midi",
        ["justice", "housing"],
        "contact",
        "Homme sortant de prison sans solution de logement, suivi psychiatrique interrompu.",
        20,
        "waiting_service",
    ),
    (
        "mm-saint-gilles",
        ["mental_health", "precariousness", "housing"],
        "concertation",
        "Famille de quatre personnes en logement insalubre, la mère présente une dépression sévère.",
        35,
        "handed_over",
    ),
    (
        "spad-sud",
        ["mental_health"],
        "orientation",
        "Femme de 40 ans en rupture de traitement, plusieurs services impliqués sans coordination.",
        60,
        "oriented",
    ),
    (
        "ssm-forest",
        ["youth", "justice"],
        "concertation",
        "Adolescent placé, fugues répétées, plusieurs intervenants ne se parlent pas.",
        90,
        "concertation",
    ),
    (
        "service-social-midi",
        ["precariousness", "addiction"],
        "advice",
        "Personne sans abri, consommation de drogues, demande d'aide pour l'ouverture de droits.",
        120,
        "advice",
    ),
    (
        "mm-saint-gilles",
        ["other"],
        "advice",
        "Question sur un dispositif hors du territoire du bassin.",
        150,
        "out_of_scope",
    ),
    (
        "spad-sud",
        ["elderly", "disability"],
        "contact",
        "Couple âgé, l'un aidant de l'autre, épuisement ; la demande n'a pas été précisée.",
        180,
        "no_answer",
    ),
]
OUTCOMES = {
    "oriented": Outcome.ORIENTED,
    "concertation": Outcome.CONCERTATION,
    "advice": Outcome.ADVICE,
    "out_of_scope": Outcome.OUT_OF_SCOPE,
    "no_answer": Outcome.NO_ANSWER,
}


def _team(sud: Territory, brusano: Operator) -> list[User]:
    team = []
    for email, name in TEAM:
        user = person_ensure(email, name)
        brusano.memberships.get_or_create(user=user, defaults={"role": MembershipRole.MEMBER})
        HelpDeskMember.objects.get_or_create(bassin=sud, user=user)
        team.append(user)
    help_desk_of(sud)
    return team


def _backdate(request: Request, days: int) -> None:
    """Move the request `days` back in time, with its deadlines and steps."""
    shift = datetime.timedelta(days=days)
    Request.objects.filter(pk=request.pk).update(
        created_at=F("created_at") - shift, first_answer_due=F("first_answer_due") - shift
    )
    for field in ("first_answered_at", "closed_at", "handed_at"):
        Request.objects.filter(pk=request.pk, **{f"{field}__isnull": False}).update(**{field: F(field) - shift})
    Request.objects.filter(pk=request.pk, follow_up_on__isnull=False).update(follow_up_on=F("follow_up_on") - shift)


def _play(request: Request, fate: str, owner: User, services: dict[str, Operator], series: Series | None) -> None:
    if fate in ("new", "overdue"):
        return
    if fate == "triage":
        request_transition(actor=owner, request=request, to=Status.TRIAGE, version=request.version)
        return
    request = request_take(actor=owner, request=request, version=request.version)
    if fate == "assigned":
        message_post(actor=owner, request=request, kind=MessageKind.NOTE, body="À voir avec le SPAD en réunion.")
        return
    if fate == "waiting_requester":
        message_post(
            actor=owner,
            request=request,
            kind=MessageKind.QUESTION,
            body="Quels services d'accueil avez-vous déjà contactés ?",
        )
        return
    contact_record(actor=owner, request=request, operator=services["ssm-forest"], result="agreed")
    contact_record(actor=owner, request=request, operator=services["spad-sud"], result="no_answer")
    request.refresh_from_db()
    if fate == "waiting_service":
        request_transition(actor=owner, request=request, to=Status.WAITING_SERVICE, version=request.version)
        return
    if fate == "handed_over" and series is not None:
        request_hand_over_to_need(
            actor=owner,
            request=request,
            series=series,
            operator=services["brusano"],
            title="Familles en logement insalubre et santé mentale",
            requester_agreed=True,
            version=request.version,
        )
        request.refresh_from_db()
        message_post(
            actor=owner,
            request=request,
            kind=MessageKind.MESSAGE,
            body="Nous portons la situation à la coordination du bassin, avec votre accord.",
        )
        return
    message_post(actor=owner, request=request, kind=MessageKind.MESSAGE, body="Voici ce que nous proposons.")
    request.refresh_from_db()
    request_close(actor=owner, request=request, outcome=OUTCOMES[fate], version=request.version)


def seed_help_desk() -> list[tuple[str, str, str]]:
    """The Bassin Sud's help desk, its team and a dozen requests; returns the team's logins."""
    sud = Territory.objects.get(slug="bruxelles-sud")
    services = {
        op.slug: op
        for op in Operator.objects.filter(
            slug__in=["brusano", "ssm-forest", "mm-saint-gilles", "spad-sud", "service-social-midi"]
        )
    }
    team = _team(sud, services["brusano"])
    logins = [(user.email, "help desk", services["brusano"].name) for user in team]
    if Request.objects.filter(bassin=sud).exists():
        return logins
    requesters = {slug: User.objects.get(email=email) for email, _name, slug in REFERENTS}
    series = Series.objects.filter(name=SUD_SERIES).first()
    for i, (slug, sectors, need, situation, days_ago, fate) in enumerate(REQUESTS):
        request = request_submit(
            actor=requesters[slug],
            bassin=sud,
            sectors=[Sector(s) for s in sectors],
            situation=situation,
            need=NeedKind(need),
            urgency="days",
            contact_preference="email",
            requester_operator=services[slug],
        )
        _play(request, fate, team[i % 2], services, series)
        _backdate(request, days_ago)
    # The overdue one: nobody has answered it, its first answer was due days ago.
    today = timezone.localdate()
    Request.objects.filter(
        bassin=sud, status=Status.NEW, created_at__date__lt=today - datetime.timedelta(days=5)
    ).update(first_answer_due=today - datetime.timedelta(days=6))
    return logins
