"""Rendered fragments of pages kept in the cache, under keys that change with their data.

A fragment belongs to scopes ("series:12", "directory"). Each scope has a
stamp in the cache: a random token, dropped whenever something of the scope
is written (`bump`, called by the apps that own the data: on their models'
saves and deletes, and by their services after a bulk write). A fragment's
key holds the stamps of its scopes, the active language and whatever else
changes it (the person's role), so:

- after a write the next read misses and renders anew: nothing stale is shown;
- a stamp evicted from the cache is replaced by a new token: a miss, never a
  stale hit;
- two people whose fragments differ never share a key.

Writes that bypass the models (a database restored from a backup, a bulk
load) must be followed by emptying the cache. A deploy need not: every key
holds a token of the code and templates (`release`).

Who may see a fragment is the page's business: it checks the permission
before it asks for the fragment (templates use Django's `{% cache %}` tag
with `fragment_key(...)` as its only vary-on value).
"""

import functools
import hashlib
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

PREFIX = "fragment-stamp:"
# The scope of the names that fragments show of operators, people and
# themes: the apps that own them drop it when one changes.
DIRECTORY = "directory"
# Fragments and stamps expire after a week unused; a write drops them at once.
TIMEOUT = 7 * 24 * 3600
# The files whose change changes what a fragment holds (release()).
RELEASE_SUFFIXES = {".py", ".html", ".txt", ".po"}


def _keys(scopes) -> list[str]:
    return [PREFIX + scope for scope in scopes]


def stamps(*scopes: str) -> str:
    """The current tokens of `scopes`, joined (one cache round trip; two when one is new).

    A missing token is set before the caller reads its data, so a write that
    commits after this read drops it and the fragment rendered is never
    served again."""
    keys = _keys(scopes)
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, TIMEOUT)
        found |= missing
    return ".".join(found[key] for key in keys)


def bump(*scopes: str) -> None:
    """Drop the stamps of `scopes`: now, and again when the transaction commits
    (a page read between the two may have rendered the data of before)."""
    keys = _keys(scopes)
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


@functools.cache
def release() -> str:
    """A token of the code and templates that render fragments and shape the
    data kept beside them (once per process): a deploy that changes a template,
    a label or a kept dataclass starts from new keys, never from what the
    former code rendered or pickled."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    roots = [base / "templates", base / "locale"]
    roots += sorted(Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == base)
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def fragment_key(name: str, scopes: tuple[str, ...], *vary) -> str:
    """The key of fragment `name` over `scopes` in the active language, for `vary` (the role…)."""
    return ":".join([name, release(), stamps(*scopes), get_language() or "", *(str(v) for v in vary)])


def bump_on_writes(scope: str, *models) -> None:
    """Drop `scope` on every save and delete of `models` (an app's `ready`)."""

    def written(sender, **kwargs):
        bump(scope)

    for model in models:
        uid = f"fragments-{scope}-{model._meta.label}"
        post_save.connect(written, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(written, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
