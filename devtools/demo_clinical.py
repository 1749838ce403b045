"""The Archipel clinical group's situations (seed 002): two proposed and chosen for its
next meeting, one presented at an earlier meeting with its avenues and a follow-up,
one presented long ago whose texts were purged. Through the services (the guard
reads every text). Idempotent: a second run changes nothing.

When the group has held no meeting yet (its calendar starts in January 2027), the
earlier meeting is an extra one six weeks ago.
"""

import datetime

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from clinical import services
from clinical.models import AgeRange, Situation
from meetings.models import Series, Session
from meetings.services.agenda import agenda_for_new_sessions

from .demo import ARCHIPEL_SERIES

HELENE = "helene.jacquet@archipel.example"
MARIE = "marie.lejeune@ssm-wavre.example"
SAMIR = "samir.haddad@em-bw.example"

VIGNETTES = {
    "presented": {
        "age_range": AgeRange.TEEN,
        "life_context": "Mme X., 16 ans, vit chez sa grand-mère depuis deux ans ; rupture scolaire, isolement.",
        "services_other": "Service d'aide à la jeunesse",
        "tried": "Suivi en SSM irrégulier, deux passages aux urgences, une prise en charge en équipe mobile.",
        "question": "Comment construire un relais entre l'équipe mobile et l'école sans la perdre en route ?",
    },
    "first": {
        "age_range": AgeRange.ADULT,
        "life_context": "M. B., la quarantaine, seul, sans logement stable depuis six mois, suivi psy arrêté.",
        "services_other": "CPAS, abri de nuit",
        "tried": "Orientation vers une maison médicale, rendez-vous manqués, hébergement d'urgence ponctuel.",
        "question": "Quel réseau mobiliser pour un retour aux soins quand la personne refuse les rendez-vous ?",
    },
    "second": {
        "age_range": AgeRange.SENIOR,
        "life_context": "Mme D., plus de 75 ans, vit seule, troubles de la mémoire, famille éloignée et épuisée.",
        "services_other": "Aide familiale, médecin traitant",
        "tried": "Passages infirmiers quotidiens, demande d'entrée en maison de repos en attente.",
        "question": "Comment soutenir la famille et coordonner les intervenants à domicile en attendant ?",
    },
}


def _earlier_meeting(series: Series, now) -> Session:
    held = series.sessions.filter(starts_at__lt=now).exclude(status=Session.Status.CANCELLED).last()
    if held is not None:
        return held
    start = (now - datetime.timedelta(weeks=6)).replace(hour=8, minute=30, second=0, microsecond=0)
    session = Session.objects.create(
        series=series,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=150),
        status=Session.Status.HELD,
        mode=series.default_mode,
        venue="SSM de Wavre, salle du rez-de-chaussée",
        is_extra=True,
    )
    agenda_for_new_sessions(series=series, sessions=[session])
    return session


# The demo people set up their second factor when they first sign in; seeding acts for them before.
@override_settings(CLINICAL_SECOND_FACTOR_REQUIRED=False)
@transaction.atomic
def seed_clinical() -> None:
    series = Series.objects.filter(name=ARCHIPEL_SERIES).first()
    if series is None or Situation.objects.filter(series=series).exists():
        return
    now = timezone.now()
    people = {u.email: u for u in User.objects.filter(email__in=[HELENE, MARIE, SAMIR])}
    helene, marie, samir = people[HELENE], people[MARIE], people[SAMIR]
    earlier = _earlier_meeting(series, now)
    upcoming = series.sessions.filter(status=Session.Status.PLANNED, starts_at__gt=now).first()

    purged = services.situation_propose(actor=samir, series=series, **VIGNETTES["first"])
    services.situation_choose(actor=helene, situation=purged, version=0, session=earlier)
    services.situation_present(actor=helene, situation=purged)
    services.situation_purge(situation=purged, actor=helene)

    presented = services.situation_propose(actor=marie, series=series, **VIGNETTES["presented"])
    services.situation_choose(actor=helene, situation=presented, version=0, session=earlier)
    for avenue in (
        "Piste : une rencontre tripartite école, équipe mobile et SSM avant toute décision d'orientation.",
        "Recommandation : désigner une personne de référence unique pour la jeune et sa grand-mère.",
    ):
        services.recommendation_add(actor=helene, situation=presented, text=avenue)
    services.follow_up_add(
        actor=marie,
        situation=presented,
        text="La rencontre tripartite a eu lieu ; la jeune a repris deux jours par semaine.",
    )
    if upcoming is not None:
        for author, key in ((samir, "first"), (marie, "second")):
            situation = services.situation_propose(
                actor=author, series=series, preferred_session=upcoming, **VIGNETTES[key]
            )
            services.situation_choose(actor=helene, situation=situation, version=0, session=upcoming)
