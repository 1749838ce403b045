"""Evaluations with answers for the large network, when the evaluations app
(issue 6) has its models and its `evaluation_open` service.

Guarded: whatever is missing or different, the seed goes on without
evaluations (inside a savepoint, so a failure leaves nothing behind).
"""

import logging

from django.apps import apps
from django.db import transaction

logger = logging.getLogger(__name__)
SCALE_ANSWERS = (2, 3, 4, 4, 5)


def available() -> bool:
    try:
        apps.get_model("evaluations", "Evaluation")
        apps.get_model("evaluations", "Response")
        apps.get_model("evaluations", "Answer")
        from evaluations.services import evaluation_open  # noqa: F401
    except (LookupError, ImportError):
        return False
    return True


def seed(series, sessions, people, *, rng, now) -> int | None:
    """One evaluation per series, answered by most of its operators; the
    number of answers made, or None when evaluations are not available."""
    if not available():
        return None
    try:
        with transaction.atomic():
            return _seed(series, sessions, people, rng=rng)
    except Exception:  # noqa: BLE001 - another helper's app: never stop the seed for it
        logger.warning("evaluations left out of the benchmark dataset", exc_info=True)
        return None


def _seed(series, sessions, people, *, rng) -> int:
    from django.utils import timezone

    from accounts.models import User
    from evaluations.models import Answer, Question, Response
    from evaluations.services import evaluation_open
    from operators.models import MembershipRole, OperatorMembership

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
                kind = getattr(q, "kind", "text")
                options = getattr(q, "options", None) or []
                if kind == "scale":
                    rows.append(Answer(response=response, question=q, scale=rng.choice(SCALE_ANSWERS)))
                elif kind in ("single", "multiple") and options:
                    count = 1 if kind == "single" else rng.randint(1, min(3, len(options)))
                    rows.append(
                        Answer(response=response, question=q, selected=sorted(rng.sample(range(len(options)), count)))
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
