"""The demo evaluation of the Namur pilot (seed 000), loaded by `seed_demo`.

`seed_evaluation()` gives the pilot an evaluation in drafting state: the
answers of four of the five operators (Polaris has not answered), two
sections written, Pléiade's approval. Idempotent: a second run changes
nothing. Written through the services, then dated back to December 2020.
"""

import datetime

from django.db import transaction
from django.utils import translation

from accounts.models import User
from evaluations import services
from evaluations.models import Approval, Evaluation, ReportSection, Response, SectionRevision
from meetings.models import Series
from operators.models import Operator

from .demo import BRUSSELS, NAMUR_SERIES

# Per operator: (referent's email, answers by question position). Scales
# are 1–5, choices are indexes into the default options, texts are free.
ANSWERS = {
    "fil-rouge-tribu-mobile": (
        "julie.martin@tribu-mobile.example",
        {
            1: 5,
            2: 4,
            3: 1,
            4: 0,
            5: 4,
            6: "Le tour de table bref : en une heure, on sait où en est chaque service.",
            7: "Prévoir un temps pour les situations d'adolescents qui passent d'un service à l'autre.",
            8: 1,
            9: [1, 3, 5],
        },
    ),
    "pleiade": (
        "nadia.benali@pleiade.example",
        {
            1: 4,
            2: 4,
            3: 1,
            4: 1,
            5: 3,
            6: "Le suivi des actions d'une semaine à l'autre.",
            7: "Envoyer l'ordre du jour la veille.",
            8: 0,
            9: [0, 3],
        },
    ),
    "emism": (
        "anne.dumont@emism.example",
        {
            1: 4,
            2: 3,
            3: 2,
            4: 0,
            5: 3,
            6: "Les besoins de coopération suivis jusqu'à la convergence.",
            7: "Une réunion toutes les deux semaines suffirait.",
            8: 1,
            9: [1, 3],
        },
    ),
    "canopee": (
        "isabelle.henrard@beauvallon.example",
        {
            1: 5,
            2: 5,
            3: 1,
            4: 0,
            5: 4,
            6: "La régularité et le créneau du mardi.",
            7: "Rien d'essentiel.",
            8: 0,
            9: [0, 3, 4],
        },
    ),
}
SECTIONS = {
    1: (
        "claire.dubois@pfcsm.example",
        "De septembre à novembre 2020, cinq opérateurs « carrefour » du territoire namurois — le Fil rouge de "
        "l'@tribu mobile, Pléiade, Emism, Canopée et Polaris — ont expérimenté une vidéoconférence hebdomadaire, "
        "soutenue par la Plate-Forme de Concertation en Santé Mentale, le Réseau Santé Namur et le Réseau Santé "
        "Kirikou.\n\nL'objectif : un échange bref et ritualisé d'informations, structuré autour des besoins de "
        "coopération des opérateurs (émergence, stabilisation, vérification de la convergence).",
    ),
    2: (
        "nadia.benali@pleiade.example",
        "Le créneau du mardi à 13 h 30 a été choisi lors de la réunion de lancement du 21 août. La conduite de "
        "réunion a évolué en octobre : tour de table raccourci, besoins de coopération traités avant le suivi "
        "des actions.\n\nUne séance a été annulée pendant le congé d'automne.",
    ),
}


def _at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2020, month, day, hour, 0, tzinfo=BRUSSELS)


def _values(evaluation: Evaluation, by_position: dict) -> dict:
    questions = {q.position: q for q in evaluation.questions.all()}
    return {questions[pos].pk: value for pos, value in by_position.items() if pos in questions}


@transaction.atomic
def seed_evaluation() -> None:
    """The Namur pilot's evaluation, drafting: four answers of five, two sections, one approval."""
    series = Series.objects.filter(name=NAMUR_SERIES).first()
    if series is None or Evaluation.objects.filter(series=series).exists():
        return
    people = {u.email: u for u in User.objects.filter(email__in=[a[0] for a in ANSWERS.values()] + [SECTIONS[1][0]])}
    claire = people[SECTIONS[1][0]]
    with translation.override("fr"):
        evaluation = services.evaluation_open(actor=claire, series=series)
    operators = {o.slug: o for o in Operator.objects.filter(slug__in=ANSWERS)}
    for slug, (email, answers) in ANSWERS.items():
        services.response_save(
            actor=people[email],
            evaluation=evaluation,
            operator=operators[slug],
            values=_values(evaluation, answers),
            version=0,
            submit=True,
        )
    evaluation = services.evaluation_transition(actor=claire, evaluation=evaluation, to=Evaluation.Status.DRAFTING)
    for position, (email, body) in SECTIONS.items():
        section = evaluation.sections.get(position=position)
        services.section_save(actor=people[email], section=section, body=body, version=section.version)
    evaluation.refresh_from_db()
    services.approval_give(
        actor=people["nadia.benali@pleiade.example"], evaluation=evaluation, operator=operators["pleiade"]
    )
    # Back to when it happened: opened after the last session, answered in early December.
    Evaluation.objects.filter(pk=evaluation.pk).update(
        opened_at=_at(11, 24), answer_deadline=_at(12, 11, 23), drafting_at=_at(12, 14)
    )
    for day, slug in enumerate(ANSWERS, start=1):
        Response.objects.filter(evaluation=evaluation, operator=operators[slug]).update(
            submitted_at=_at(12, day + 1), updated_at=_at(12, day + 1)
        )
    for position in SECTIONS:
        ReportSection.objects.filter(evaluation=evaluation, position=position).update(updated_at=_at(12, 15 + position))
        SectionRevision.objects.filter(section__evaluation=evaluation, section__position=position).update(
            created_at=_at(12, 15 + position)
        )
    Approval.objects.filter(evaluation=evaluation).update(approved_at=_at(12, 18))
