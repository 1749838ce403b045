"""The scope of the evaluation page's cached fragment (core.fragments) and what drops its stamp.

- `evaluation:<id>`: what the page of one evaluation shows of the evaluations
  app — the evaluation itself (its state, deadline, report version, the list
  of the series' versions), the operators' responses (their status only),
  their approvals, the report's sections and their comments. Every save and
  delete of these models drops it (`connect`, at start-up); the services
  that write with UPDATE or bulk_create call `evaluation_changed`. Opening or
  removing a version drops the scopes of every version of the series (each
  page lists them all).
- The page also shows the series (its name, the operators taking part):
  `series:<id>` of meetings (meetings.fragments), and names of operators and
  people: DIRECTORY. Its key holds the three stamps.

The answers to the questionnaire, the questions and the exports are shown by
pages that are not cached: their writes drop nothing.

The fragment holds forms: it is rendered with `CSRF_SLOT` in place of the
person's CSRF token (`{% with csrf_token=csrf_slot %}`), and `with_csrf`
puts the person's own token in the response.
"""

from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.utils.html import format_html

from core.fragments import DIRECTORY, bump, fragment_key
from meetings.fragments import series_scope

from .models import Approval, Evaluation, ReportSection, Response, SectionComment

# Rendered by {% csrf_token %} in the cached fragment instead of a token. The
# whole <input> is replaced: a person's text is escaped, it never holds one.
CSRF_SLOT = "csrf-slot"
_SLOT_INPUT = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', CSRF_SLOT).encode()


def evaluation_scope(evaluation_id) -> str:
    return f"evaluation:{evaluation_id}"


def evaluation_changed(*evaluation_ids) -> None:
    """Drop the fragments of these evaluations (after a write that sends no signal)."""
    bump(*(evaluation_scope(pk) for pk in evaluation_ids if pk is not None))


def evaluation_fragment_key(name: str, evaluation: Evaluation, *vary) -> str:
    """The cache key of fragment `name` of an evaluation's page, for `vary` (the person's role…)."""
    scopes = (evaluation_scope(evaluation.pk), series_scope(evaluation.series_id), DIRECTORY)
    return fragment_key(name, scopes, *vary)


def with_csrf(request, response):
    """The response with the person's CSRF token where the cached fragment has `CSRF_SLOT`."""
    if _SLOT_INPUT in response.content:
        token = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
        response.content = response.content.replace(_SLOT_INPUT, token.encode())
    return response


def _evaluation_written(sender, instance, created=False, **kwargs):
    if created or kwargs.get("signal") is post_delete:
        # A version opened or removed: every version of the series lists it.
        siblings = Evaluation.objects.filter(series_id=instance.series_id).values_list("pk", flat=True)
        evaluation_changed(instance.pk, *siblings)
    else:
        evaluation_changed(instance.pk)


def _row_written(sender, instance, **kwargs):
    evaluation_changed(instance.evaluation_id)


def _comment_written(sender, instance, **kwargs):
    # The section is at hand when the service writes (section_comment_add).
    evaluation_changed(instance.section.evaluation_id)


def connect() -> None:
    """Drop the stamps on every write of what the page shows (EvaluationsConfig.ready)."""
    receivers = {
        Evaluation: _evaluation_written,
        Response: _row_written,
        Approval: _row_written,
        ReportSection: _row_written,
        SectionComment: _comment_written,
    }
    for model, receiver in receivers.items():
        post_save.connect(receiver, sender=model, dispatch_uid=f"fragments-{model.__name__}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"fragments-{model.__name__}-delete")
