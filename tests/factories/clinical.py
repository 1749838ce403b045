"""Clinical series and situations for the tests: a clinical concertation under a
required charter, and situations written through the services (the guard runs)."""

import datetime

import factory
from django.utils import timezone

from clinical import services
from clinical.models import AgeRange, Situation
from core.request_cache import forget
from meetings.models import Participation, Series

from . import SeriesFactory, SessionFactory
from .charter import accepted_by, charter_publish_version

VIGNETTE = {
    "age_range": AgeRange.TEEN,
    "life_context": "Mme X., 15 ans, vit avec sa mère et deux frères ; déscolarisée depuis trois mois.",
    "services_other": "Un service d'aide à la jeunesse",
    "tried": "Suivi en SSM, deux hospitalisations courtes, une médiation familiale interrompue.",
    "question": "Comment maintenir un lien quand la jeune refuse tout rendez-vous ?",
}


def clinical_series(coordinator, operator, *signatories, name: str = "Concertation clinique Archipel") -> Series:
    """A clinical concertation `coordinator` carries, `operator` taking part, its charter (v1)
    published, required and accepted by `signatories`."""
    series = SeriesFactory(name=name, kind=Series.Kind.CLINICAL)
    series.coordinators.add(coordinator)
    Participation.objects.create(series=series, operator=operator, since=datetime.date(2020, 9, 1))
    charter_publish_version(series, coordinator)
    accepted_by(series, *signatories)
    return series


def clinical_session(series: Series, days: int = 14, **kwargs):
    start = (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)
    return SessionFactory(
        series=series, starts_at=start, ends_at=start + datetime.timedelta(hours=2, minutes=30), **kwargs
    )


def situation_propose(series: Series, author, **overrides) -> Situation:
    forget(author)
    return services.situation_propose(actor=author, series=series, **(VIGNETTE | overrides))


class SituationFactory(factory.django.DjangoModelFactory):
    """A bare situation row (no guard, no log): for query counts and purge tests."""

    class Meta:
        model = Situation

    age_range = AgeRange.ADULT
    life_context = VIGNETTE["life_context"]
    tried = VIGNETTE["tried"]
    question = VIGNETTE["question"]
