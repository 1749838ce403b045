"""The current season, relative to the day `seed_demo` runs: the Namur
operators kept meeting after the pilot, so a newcomer's first dashboard is
alive, not an archive of 2020.

`seed_current_season()` makes, once, a series continuing the pilot with
three sessions around today: last week's, held, its info rounds (with the
capacity signal) and its minutes published as provisional; this week's, in
two days, its info round open and half filled, the approval of last week's
minutes first on its agenda; next week's, planned. Written through the
services; a second run changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.brussels import BRUSSELS
from meetings.models import AnswerType, Attendance, InfoRoundAnswer, InfoRoundEntry, Minutes, Series, Session
from meetings.selectors.inforound import info_round_questions
from meetings.services import agenda as agenda_services
from meetings.services import minutes as minutes_services
from meetings.services.series import series_create
from meetings.services.sessions import session_add
from operators.models import MembershipRole, Operator

from .demo import CARREFOUR_SLUGS, NAMUR_SERIES, ROUND_TEXTS

CURRENT_SERIES = "Échange hebdomadaire des opérateurs carrefour namurois"
# Last week's signals (the network is busy again) and who has already answered this week.
LAST_WEEK = {
    "canopee": ("saturated", 24),
    "polaris": ("strained", 7),
    "pleiade": ("available", None),
    "emism": ("available", None),
    "fil-rouge-tribu-mobile": ("strained", 12),
}
ANSWERED_THIS_WEEK = {"pleiade": ("available", None), "polaris": ("strained", 6)}


def _entry(session, operator, author, questions, signal, at) -> None:
    entry = InfoRoundEntry.objects.create(
        session=session,
        operator=operator,
        status=InfoRoundEntry.Status.SUBMITTED,
        submitted_at=at,
        submitted_by=author,
        updated_by=author,
        version=2,
    )
    texts = ROUND_TEXTS.get(operator.slug, {})
    for question in questions:
        if question.answer_type == AnswerType.CAPACITY:
            level, waiting = signal
            InfoRoundAnswer.objects.create(entry=entry, question=question, capacity=level, waiting_days=waiting)
        else:
            pool = texts.get(question.kind, [""])
            text = pool[len(pool) - 1] if question.kind != "needs" else ""
            InfoRoundAnswer.objects.create(entry=entry, question=question, text=text[: question.max_length])


@transaction.atomic
def seed_current_season(now: datetime.datetime | None = None) -> None:
    """Once: the series after the pilot, with last week's, this week's and next week's sessions around `now`."""
    if Series.objects.filter(name=CURRENT_SERIES).exists():
        return
    pilot = Series.objects.filter(name=NAMUR_SERIES).first()
    if pilot is None:
        return
    now = now or timezone.now()
    claire = User.objects.get(email="claire.dubois@pfcsm.example")
    operators = list(Operator.objects.filter(slug__in=CARREFOUR_SLUGS))
    series = series_create(
        actor=claire,
        name=CURRENT_SERIES,
        kind=Series.Kind.CRISIS_VIDEOCONFERENCE,
        description=(
            "La suite de l'expérimentation de 2020 : l'échange hebdomadaire continue, avec la météo de capacité."
        ),
        territory=pilot.territory,
        default_duration=60,
        coordinators=list(pilot.coordinators.exclude(pk=claire.pk)),
        organisations=list(pilot.organisations.all()),
        operators=operators,
        minutes_approved_at_next_session=True,
    )
    draft = agenda_services.agenda_template_prepare(actor=claire, series=series)
    agenda_services.template_question_add(
        actor=claire,
        template=draft,
        prompt="Météo de capacité de votre service cette semaine",
        kind="capacity",
        answer_type=AnswerType.CAPACITY,
        asks_waiting_days=True,
        asks_places=True,
    )
    agenda_services.agenda_template_publish(
        actor=claire, template=draft, change_note="La météo de capacité rejoint le tour de table."
    )
    # This week's session in two days (its info round opened yesterday), last week's and next week's around it.
    this_week = (now + datetime.timedelta(days=2)).astimezone(BRUSSELS).date()
    sessions = [
        session_add(
            actor=claire,
            series=series,
            date=this_week + datetime.timedelta(weeks=weeks),
            start_time=datetime.time(13, 30),
            duration=60,
        )
        for weeks in (-1, 0, 1)
    ]
    last, current, _next = sessions
    Session.objects.filter(pk=last.pk).update(status=Session.Status.HELD)
    last.refresh_from_db()
    referents = {
        op.slug: op.memberships.filter(role=MembershipRole.REFERENT).select_related("user").first().user
        for op in operators
    }
    questions = info_round_questions(last)
    for n, operator in enumerate(operators):
        at = last.starts_at - datetime.timedelta(days=1, hours=n)
        _entry(last, operator, referents[operator.slug], questions, LAST_WEEK[operator.slug], at)
        Attendance.objects.create(session=last, operator=operator, status=Attendance.Status.PRESENT, recorded_by=claire)
    minutes = Minutes.objects.create(session=last, updated_by=claire)
    notes = {
        item.pk: ("Échange tenu ; voir la compilation du tour de table.", item.notes_version)
        for item in last.agenda_items.all()
    }
    minutes = minutes_services.minutes_save(
        actor=claire,
        minutes=minutes,
        summary="Canopée de nouveau saturée ; Polaris sous tension.",
        version=1,
        notes=notes,
    )
    minutes_services.minutes_transition(
        actor=claire, minutes=minutes, to=Minutes.Status.PUBLISHED, version=minutes.version
    )
    questions = info_round_questions(current)
    for n, (slug, signal) in enumerate(ANSWERED_THIS_WEEK.items()):
        operator = next(op for op in operators if op.slug == slug)
        _entry(current, operator, referents[slug], questions, signal, now - datetime.timedelta(hours=3 + n))
