"""The ritual of a clinical concertation (seed 002): welcome, feedback on earlier
situations, two situations, closing — 2 h 30 in all."""

from meetings.models import Series
from meetings.services.agenda import agenda_template_ensure

from ..factories import SeriesFactory


def test_a_clinical_series_gets_the_clinical_ritual(db):
    template = agenda_template_ensure(series=SeriesFactory(kind=Series.Kind.CLINICAL))
    items = list(template.items.order_by("position").values_list("title", "kind", "timebox"))
    assert [title for title, _kind, _box in items] == [
        "Bienvenue",
        "Retour sur les situations précédentes",
        "Situation 1",
        "Situation 2",
        "Clôture",
    ]
    assert sum(box for _title, _kind, box in items) == 150


def test_other_kinds_keep_the_default_ritual(db):
    template = agenda_template_ensure(series=SeriesFactory(kind=Series.Kind.CRISIS_VIDEOCONFERENCE))
    assert template.items.first().title == "Ouverture et tour des présences"
