"""The weekly digest: one email per person across everything they take part in.

Its content is the sections the apps register (`register_digest_section`):
each returns what it has to say to a person in the week before `now`, or
None; the digest is not sent when no section has anything to say. Each
section is shown through `emails/notify/_digest_<name>.{txt,html}`, in the
order the apps were registered.

The digest is this app's own kind: due on the person's weekday from
DIGEST_HOUR (Brussels wall time), turned off by choosing no weekday.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.brussels import BRUSSELS
from core.links import absolute_url

from .models import Notification
from .registry import Kind, digest_batch_builders, digest_sections, register_finder, register_kind
from .scan import DueRow, due_row

DIGEST_HOUR = 8
OBJECT_TYPE = "accounts.user"


class DigestKind(models.TextChoices):
    DIGEST = "digest", _("Weekly digest")


# The digests read ahead for a batch of people (digest_batch), while it runs.
_batch: ContextVar[dict | None] = ContextVar("digest_batch", default=None)


def digest_contexts(*, users, now: datetime.datetime | None = None) -> dict[int, dict | None]:
    """{person id: their digest at `now`, or None when no section has anything
    to say}. The sections that can read a batch of people at once do
    (a fixed number of queries for the batch); the others, person by person."""
    now = now or timezone.now()
    batches = digest_batch_builders()
    sections: dict[int, dict] = {user.pk: {} for user in users}
    for name, build in digest_sections().items():
        many = batches.get(name)
        found = many(users=users, now=now) if many else {user.pk: build(user=user, now=now) for user in users}
        for pk, section in found.items():
            if section:
                sections[pk][name] = section
    home_url = absolute_url(reverse("core:home"))
    return {
        user.pk: {"user": user, "sections": sections[user.pk], "home_url": home_url} if sections[user.pk] else None
        for user in users
    }


def digest_context(*, user, now: datetime.datetime | None = None) -> dict | None:
    """The digest of `user` at `now`, or None when no section has anything to
    say: read ahead when a digest_batch holding the person is running."""
    batch = _batch.get()
    if batch is not None and user.pk in batch:
        return batch[user.pk]
    return digest_contexts(users=[user], now=now)[user.pk]


@contextmanager
def digest_batch(*, users, now: datetime.datetime | None = None):
    """Within the block, the digests of `users` are those read at its start,
    all together: the weekly run sends hundreds with a fixed number of queries
    per batch, and what they share (a series' minutes, needs, sessions) is
    read once."""
    token = _batch.set(digest_contexts(users=users, now=now))
    try:
        yield
    finally:
        _batch.reset(token)


def digests_due(now: datetime.datetime) -> list[DueRow]:
    """The scan's rule: a row for everyone whose digest day it is, from DIGEST_HOUR."""
    local = now.astimezone(BRUSSELS)
    if local.hour < DIGEST_HOUR:
        return []
    users = get_user_model().objects.filter(is_active=True, digest_weekday=local.weekday()).values_list("pk", flat=True)
    period = local.date().isoformat()
    return [due_row(user_id, DigestKind.DIGEST, OBJECT_TYPE, user_id, period, now) for user_id in users]


def _load(notification: Notification):
    return notification.recipient


def _build(notification: Notification, user) -> dict | None:
    digest = digest_context(user=user)
    return {"digest": digest} if digest else None


def _is_off(user) -> bool:
    return user.digest_weekday is None


def _turn_off(user) -> list[str]:
    user.digest_weekday = None
    return ["digest_weekday"]


def register() -> None:
    register_kind(
        Kind(
            code=DigestKind.DIGEST.value,
            label=DigestKind.DIGEST.label,
            load=_load,
            build=_build,
            is_off=_is_off,
            turn_off=_turn_off,
        )
    )
    register_finder(digests_due)
