"""Factories of consultations: a consultation series (seed 001) and its session, contributions, themes."""

import factory

from consultations.models import Contribution, Theme
from meetings.models import Admission, Visibility

from . import SeriesFactory, SessionFactory


def consultation_series(coordinator, **kwargs):
    """A public, open consultation ("Votre opinion compte !") coordinated by `coordinator`."""
    defaults = {
        "name": "Votre opinion compte !",
        "kind": "consultation",
        "visibility": Visibility.PUBLIC,
        "admission": Admission.OPEN,
    }
    series = SeriesFactory(**(defaults | kwargs))
    series.coordinators.add(coordinator)
    return series


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Thème {n}")
    position = factory.Sequence(lambda n: n)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    session = factory.SubFactory(SessionFactory)
    kind = Contribution.Kind.PROPOSAL
    text = factory.Sequence(lambda n: f"Proposition {n}")
    position = factory.Sequence(lambda n: n)
