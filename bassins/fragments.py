"""The bassins' scopes of cached fragments (core.fragments).

- VISITS_SCOPE: the map of the network keeps the links it computed until a
  visit of an open-doors week is booked, cancelled, confirmed as held or
  deleted (the series' own scopes, meetings.fragments, cover the rest).
- `bassin:<id>`: what a bassin's page and its état des lieux show of the
  bassin itself — its teams, working groups, open-doors weeks, the notes of
  its état des lieux and the municipalities split with other bassins. Every
  save and delete of these models drops it, and every change of a
  municipality's `split_between` (an m2m write sends no save). A
  municipality placed whole changes its parent: a save of the territory,
  which the operators app answers by dropping its scopes (operators.fragments).
- NEEDS_SCOPE: the cooperation needs of every series, as the état des lieux
  counts them (by stage, by theme). Its operators raise needs in series of
  other bassins too: rather than read the list of those series with each
  request, a write of any need drops it — a save or delete of a need, a move
  of its stage (recorded by a NeedStageChange, the only writer of the stage
  being meetings.services.needs._stage_move, within its transaction), a
  change of its themes. Theme names are DIRECTORY's.

A bassin's fragments are keyed by its scope, the operators' (their kinds,
publics, territories served), the names (DIRECTORY), and the scopes of the
series they read (meetings.fragments): the ids of those series are read
with each request, so a series newly attached to the bassin changes the key.
"""

import hashlib

from django.db.models.signals import m2m_changed, post_delete, post_save

from core.fragments import DIRECTORY, bump, bump_on_writes, fragment_key
from meetings.fragments import series_scope
from meetings.models import CooperationNeed, NeedStageChange
from operators import fragments as operators_fragments
from operators.models import Territory

from .models import BassinMember, OpenDoorsWeek, StateNote, VisitBooking, VisitSlot, WorkingGroup

VISITS_SCOPE = "map:visits"
NEEDS_SCOPE = "bassins:needs"
# The rows of a bassin that its pages show (each has a `bassin` foreign key).
BASSIN_ROWS = (BassinMember, WorkingGroup, StateNote, OpenDoorsWeek)


def bassin_scope(bassin_id) -> str:
    return f"bassin:{bassin_id}"


def bassin_changed(*bassin_ids) -> None:
    """Drop the fragments of these bassins (after a write that sends no signal)."""
    bump(*(bassin_scope(pk) for pk in bassin_ids if pk is not None))


def bassin_page_keys(bassin_id, series_ids, seen_ids, *vary) -> tuple[str, str]:
    """The cache keys, from one read of the stamps, of the bassin page's fragment
    (its rows, operators, names and the series `series_ids`) for a person who sees
    `seen_ids` of them, for `vary` (their rights); and of the sessions to come of
    these series, the same for everyone."""
    ids = sorted(series_ids)
    scopes = (bassin_scope(bassin_id), operators_fragments.SCOPE, DIRECTORY, *(series_scope(pk) for pk in ids))
    shared = fragment_key("bassin-page", scopes, bassin_id, ",".join(map(str, ids)))
    page = ":".join([shared, ",".join(map(str, sorted(seen_ids))), *map(str, vary)])
    return page, "bassin-upcoming:" + hashlib.sha256(shared.encode()).hexdigest()  # short whatever the series


def bassin_state_key(bassin_id, series_ids, *vary) -> str:
    """The cache key of the bassin's état des lieux: its rows (notes, municipalities),
    its operators, the names and the needs; of its series (`series_ids`) it reads
    only which they are, since NEEDS_SCOPE covers their needs."""
    ids = ",".join(map(str, sorted(series_ids)))
    scopes = (bassin_scope(bassin_id), operators_fragments.SCOPE, DIRECTORY, NEEDS_SCOPE)
    return fragment_key("bassin-state", scopes, bassin_id, ids, *vary)


def _bassin_row_written(sender, instance, **kwargs):
    bassin_changed(instance.bassin_id)


def _split_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # Forward (municipality.split_between): the bassins are `pk_set`; reverse
    # (bassin.split_municipalities): the instance is the bassin.
    if action in ("post_add", "post_remove"):
        bassin_changed(*([instance.pk] if reverse else pk_set or ()))
    elif action == "pre_clear":
        bassin_changed(*([instance.pk] if reverse else instance.split_between.values_list("pk", flat=True)))


def _themes_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "pre_clear"):
        bump(NEEDS_SCOPE)


def connect() -> None:
    bump_on_writes(VISITS_SCOPE, VisitSlot, VisitBooking)
    bump_on_writes(NEEDS_SCOPE, CooperationNeed, NeedStageChange)
    m2m_changed.connect(_themes_changed, sender=CooperationNeed.themes.through, dispatch_uid="fragments-bassin-themes")
    for model in BASSIN_ROWS:
        uid = f"fragments-bassin-{model.__name__}"
        post_save.connect(_bassin_row_written, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_bassin_row_written, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_split_changed, sender=Territory.split_between.through, dispatch_uid="fragments-bassin-split")
