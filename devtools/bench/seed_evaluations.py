"""Evaluations with answers for the large network: one per series (opened
through `evaluation_open`), answered by most of its operators."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from evaluations.models import Answer, Question, Response
from evaluations.services import evaluation_open
from operators.models import MembershipRole, OperatorMembership

SCALE_ANSWERS = (2, 3, 4, 4, 5)


@transaction.atomic
def seed(series, sessions, people, *, rng) -> int:
    """One evaluation per series, answered by most of its operators; the number of answers made."""
    referents = dict(
        OperatorMembership.objects.filter(user__in=people, role=MembershipRole.REFERENT).values_list(
            "operator_id", "user_id"
        )
    )
    answers = 0
    for s in series:
        coordinator = User.objects.get(pk=sessions.coordinator[s.pk])
        evaluation = evaluation_open(actor=coordinator, series=s)
        questions = list(Question.objects.filter(evaluation=evaluation))
        responses = []
        for op in sessions.participants[s.pk]:
            if rng.random() < 0.1:
                continue
            submitted = rng.random() < 0.85
            responses.append(
                Response(
                    evaluation=evaluation,
                    operator_id=op,
                    status=Response.Status.SUBMITTED if submitted else Response.Status.DRAFT,
                    updated_by_id=referents.get(op),
                    submitted_by_id=referents.get(op) if submitted else None,
                    submitted_at=timezone.now() if submitted else None,
                )
            )
        responses = Response.objects.bulk_create(responses)
        rows = []
        for response in responses:
            for q in questions:
                if q.kind == Question.Kind.SCALE:
                    rows.append(Answer(response=response, question=q, scale=rng.choice(SCALE_ANSWERS)))
                elif q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and q.options:
                    count = 1 if q.kind == Question.Kind.SINGLE else rng.randint(1, min(3, len(q.options)))
                    rows.append(
                        Answer(response=response, question=q, selected=sorted(rng.sample(range(len(q.options)), count)))
                    )
                else:
                    rows.append(
                        Answer(
                            response=response,
                            question=q,
                            text="Le rituel hebdomadaire a raccourci nos délais d'orientation.",
                        )
                    )
        Answer.objects.bulk_create(rows, batch_size=2000)
        answers += len(rows)
    return answers
