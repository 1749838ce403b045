"""What drops the cached fragments of the directory (core.fragments): every
save and delete of an operator, its publics or a territory, and the services'
writes that send no signal. They drop the DIRECTORY scope too: other apps'
fragments show operators' names."""

from django.db.models.signals import post_delete, post_save

from core.fragments import DIRECTORY, bump, fragment_key

from .models import Operator, OperatorPublic, Territory

SCOPE = "operators"


def directory_fragment_key(*vary) -> str:
    """The cache key of the directory's list for `vary` (the filters, whether inactive operators are shown)."""
    return fragment_key("operator-directory", (SCOPE,), *vary)


def directory_changed() -> None:
    """Drop the fragments that show operators (after a write that sends no signal)."""
    bump(SCOPE, DIRECTORY)


def _written(sender, **kwargs):
    directory_changed()


def connect() -> None:
    """Drop the directory's fragments on every write of what it shows (OperatorsConfig.ready)."""
    for model in (Operator, OperatorPublic, Territory):
        post_save.connect(_written, sender=model, dispatch_uid=f"fragments-{model.__name__}-save")
        post_delete.connect(_written, sender=model, dispatch_uid=f"fragments-{model.__name__}-delete")
