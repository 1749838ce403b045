"""Writes on bassins: each function owns one change and checks its permission."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import require_perm
from core.request_cache import forget
from core.services import audit_record
from meetings.models import Series
from meetings.services.series import series_create
from operators.models import Territory

from .models import StateNote, WorkingGroup, WorkingGroupTheme


@transaction.atomic
def bassin_working_groups_create(*, actor, bassin: Territory) -> list[WorkingGroup]:
    """Create, from the template of the four themes, the working groups the bassin
    lacks: one series of kind working group per theme, coordinated by the actor
    and attached to the bassin. Themes that have their group are left alone, so
    running it twice creates nothing more. Returns the groups created."""
    require_perm(actor, "bassins.change_bassin", bassin)
    existing = set(bassin.working_groups.values_list("theme", flat=True))
    created = []
    for theme, label in WorkingGroupTheme.choices:
        if theme in existing:
            continue
        series = series_create(
            actor=actor,
            name=_("Working group %(theme)s — %(bassin)s") % {"theme": label.lower(), "bassin": bassin.name},
            kind=Series.Kind.WORKING_GROUP,
            territory=bassin,
            default_mode="in_person",
            video_provider=Series.VideoProvider.NONE,
            description=_("Working group of the %(bassin)s on %(theme)s.")
            % {"bassin": bassin.name, "theme": label.lower()},
        )
        created.append(WorkingGroup.objects.create(bassin=bassin, theme=theme, series=series))
    if created:
        forget(actor)  # the actor now coordinates the new series
    audit_record(actor=actor, action="bassin.working_groups", obj=bassin, detail={"created": len(created)})
    return created


def state_note_add(*, actor, bassin: Territory, **fields) -> StateNote:
    """Add a dated, sourced text block to the bassin's état des lieux."""
    require_perm(actor, "bassins.change_bassin", bassin)
    note = StateNote(bassin=bassin, author=actor, **fields)
    note.full_clean()
    note.save()
    audit_record(actor=actor, action="bassin.note_add", obj=note, detail={"bassin": bassin.pk})
    return note


def state_note_delete(*, actor, note: StateNote) -> None:
    """Remove a text block from the état des lieux."""
    require_perm(actor, "bassins.change_bassin", note.bassin)
    audit_record(actor=actor, action="bassin.note_delete", obj=note, detail={"bassin": note.bassin_id})
    note.delete()
