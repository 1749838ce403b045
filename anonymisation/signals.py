"""A person or a service saved or deleted: the guard reads the names again."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import User
from operators.models import Operator

from .selectors import names_forget


@receiver([post_save, post_delete], sender=User, dispatch_uid="anonymisation_user_names")
@receiver([post_save, post_delete], sender=Operator, dispatch_uid="anonymisation_operator_names")
def _names_changed(sender, update_fields=None, **kwargs):
    # A sign-in saves last_login alone: the names have not changed.
    if update_fields and not {"name", "short_name"} & set(update_fields):
        return
    names_forget()
