"""An answer to a series' contribution question, given when registering, becomes a
contribution: registrations knows nothing of consultations, so it is heard here."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from registrations.models import Answer

from .services import contribution_from_answer


@receiver(post_save, sender=Answer, dispatch_uid="consultations_contribution_from_answer")
def _contribution_from_answer(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(lambda: contribution_from_answer(answer=instance), robust=True)
