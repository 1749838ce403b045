"""The evaluation's scan rule and email context."""

import datetime

import pytest
from django.utils import timezone

from evaluations import services
from evaluations.notifications import EvaluationKind, evaluation_context, evaluation_rows
from notifications.models import Notification
from notifications.registry import kind_get

from ..factories import MembershipFactory, OperatorFactory

Kind = EvaluationKind


@pytest.fixture
def evaluation(series, coordinator, referent, member):
    return services.evaluation_open(
        actor=coordinator, series=series, answer_deadline=timezone.now() + datetime.timedelta(days=10)
    )


def _rows(now):
    return sorted((r.recipient_id, r.kind) for r in evaluation_rows(now))


def test_members_of_operators_taking_part_are_invited_once(evaluation, referent, member, other_member):
    assert _rows(timezone.now()) == sorted(
        [(referent.pk, Kind.EVALUATION_INVITATION), (member.pk, Kind.EVALUATION_INVITATION)]
    )
    assert {r.object_type for r in evaluation_rows(timezone.now())} == {"evaluations.evaluation"}


def test_reminders_from_three_days_before_the_deadline_to_operators_that_have_not_answered(
    evaluation, series, referent, member, operator
):
    other = OperatorFactory(territory=operator.territory)
    late = MembershipFactory(operator=other).user
    series.participations.create(operator=other, since=datetime.date(2020, 9, 1))
    services.response_save(
        actor=referent,
        evaluation=evaluation,
        operator=operator,
        values={
            q.pk: {"scale": 3, "single": 0, "multiple": [0], "text": "ok"}[q.kind] for q in evaluation.questions.all()
        },
        version=0,
        submit=True,
    )
    assert Kind.EVALUATION_REMINDER not in {k for _u, k in _rows(timezone.now())}
    soon = evaluation.answer_deadline - datetime.timedelta(days=2)
    reminded = {u for u, k in _rows(soon) if k == Kind.EVALUATION_REMINDER}
    assert reminded == {late.pk}


def test_nothing_once_the_questionnaire_is_closed(evaluation, coordinator):
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="drafting")
    assert evaluation_rows(timezone.now()) == []


def test_a_fixed_number_of_queries(evaluation, series, operator, django_assert_num_queries):
    with django_assert_num_queries(4):
        evaluation_rows(timezone.now())
    for _ in range(3):
        op = OperatorFactory(territory=operator.territory)
        MembershipFactory(operator=op)
        series.participations.create(operator=op, since=datetime.date(2020, 9, 1))
    with django_assert_num_queries(4):
        assert len(evaluation_rows(timezone.now())) == 5


def test_context_has_the_series_and_an_absolute_link_until_the_operator_answered(
    evaluation, referent, operator, settings, coordinator
):
    settings.SITE_URL = "https://carrefour.example"
    n = Notification(
        recipient=referent,
        kind=Kind.EVALUATION_INVITATION,
        object_type="evaluations.evaluation",
        object_id=str(evaluation.pk),
    )
    context = evaluation_context(n)
    assert context["series"] == evaluation.series
    assert context["evaluation_url"] == f"https://carrefour.example/evaluations/{evaluation.public_id}/"
    services.response_save(
        actor=referent,
        evaluation=evaluation,
        operator=operator,
        values={
            q.pk: {"scale": 3, "single": 0, "multiple": [0], "text": "ok"}[q.kind] for q in evaluation.questions.all()
        },
        version=0,
        submit=True,
    )
    assert evaluation_context(n) is None


def test_context_is_none_when_the_questionnaire_closed(evaluation, referent, coordinator):
    n = Notification(
        recipient=referent,
        kind=Kind.EVALUATION_REMINDER,
        object_type="evaluations.evaluation",
        object_id=str(evaluation.pk),
    )
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="drafting")
    assert evaluation_context(n) is None


def test_the_emails_render_through_the_notification_kinds(evaluation, referent):
    n = Notification(
        recipient=referent,
        kind=Kind.EVALUATION_INVITATION,
        object_type="evaluations.evaluation",
        object_id=str(evaluation.pk),
    )
    kind = kind_get(Kind.EVALUATION_INVITATION)
    assert kind.build(n, kind.load(n))["series"] == evaluation.series
