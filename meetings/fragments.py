"""The scopes of meetings' cached fragments (core.fragments) and what drops their stamps.

- `series:<id>`: anything of a series — its sessions, agendas, info rounds,
  minutes, decisions, actions, needs. Every save and delete of these models
  drops it (`connect`, at start-up); the services that write in bulk
  (update, bulk_create, bulk_update send no signal) call `series_changed`.
- `directory` (core.fragments.DIRECTORY): the names that fragments show of
  operators (the operators app drops it), people and themes (dropped here).

A fragment of a series page is keyed by both, the language and the role of
the person where it changes what the fragment shows.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.fragments import DIRECTORY, bump, bump_on_writes, fragment_key
from operators.models import OperatorMembership

from .models import (
    Action,
    AgendaItem,
    AgendaTemplate,
    AgendaTemplateItem,
    Attendance,
    Charter,
    CharterAcceptance,
    CharterVersion,
    CooperationNeed,
    Decision,
    InfoRoundAnswer,
    InfoRoundEntry,
    InfoRoundQuestion,
    Minutes,
    MinutesRevision,
    NeedEndorsement,
    NeedMention,
    NeedStageChange,
    Participation,
    Series,
    Session,
    Theme,
)

# The scope of what decides who takes part in which series (participations,
# memberships of operators, individual registrations, charters and their
# acceptances: selectors.access keeps each person's in the cache), dropped on
# every write of these.
ACCESS = "access"


def series_scope(series_id) -> str:
    return f"series:{series_id}"


def series_changed(*series_ids) -> None:
    """Drop the fragments of these series (after a write that sends no signal)."""
    bump(*(series_scope(pk) for pk in series_ids if pk is not None))


def rows_changed(rows) -> None:
    """Drop the fragments of the series of `rows` (siblings of one session, after a bulk write)."""
    series_of = SERIES_OF.get(type(rows[0])) if rows else None
    if series_of is not None:
        series_changed(series_of(rows[0]))


def register_fragment_key(name: str, series_ids, *vary) -> str:
    """The cache key of fragment `name` of a page across the series `series_ids`
    (a register, the board): it changes with a write in any of them."""
    ids = sorted(series_ids)
    scopes = (*(series_scope(pk) for pk in ids), DIRECTORY)
    return fragment_key(name, scopes, ",".join(map(str, ids)), *vary)


def series_fragment_key(name: str, series_id, *vary) -> str:
    """The cache key of fragment `name` of a series' page, for `vary` (the person's role…)."""
    return fragment_key(name, (series_scope(series_id), DIRECTORY), *vary)


def _via_session(session_id):
    return Session.objects.filter(pk=session_id).values_list("series_id", flat=True).first()


def _via_template(template_id):
    return AgendaTemplate.objects.filter(pk=template_id).values_list("series_id", flat=True).first()


def _via_need(need_id):
    return CooperationNeed.objects.filter(pk=need_id).values_list("series_id", flat=True).first()


# The series of a row of each model (a query for those that do not hold it).
SERIES_OF = {
    Series: lambda row: row.pk,
    Session: lambda row: row.series_id,
    AgendaTemplate: lambda row: row.series_id,
    Participation: lambda row: row.series_id,
    Decision: lambda row: row.series_id,
    Action: lambda row: row.series_id,
    CooperationNeed: lambda row: row.series_id,
    AgendaItem: lambda row: _via_session(row.session_id),
    AgendaTemplateItem: lambda row: _via_template(row.template_id),
    InfoRoundQuestion: lambda row: _via_template(row.template_id),
    InfoRoundEntry: lambda row: _via_session(row.session_id),
    Attendance: lambda row: _via_session(row.session_id),
    Minutes: lambda row: _via_session(row.session_id),
    NeedMention: lambda row: _via_session(row.session_id),
    NeedEndorsement: lambda row: _via_need(row.need_id),
    NeedStageChange: lambda row: _via_need(row.need_id),
    InfoRoundAnswer: lambda row: (
        InfoRoundEntry.objects.filter(pk=row.entry_id).values_list("session__series_id", flat=True).first()
    ),
    MinutesRevision: lambda row: (
        Minutes.objects.filter(pk=row.minutes_id).values_list("session__series_id", flat=True).first()
    ),
}
# Only these fields of a person are shown; a login (last_login) changes nothing.
PERSON_FIELDS_SHOWN = {"name", "email"}


def _row_written(sender, instance, **kwargs):
    series_changed(SERIES_OF[sender](instance))


def _series_m2m_changed(sender, instance, model, pk_set, reverse, **kwargs):
    if kwargs["action"] in ("post_add", "post_remove", "post_clear"):
        series_changed(*([instance.pk] if not reverse else (pk_set or [])))


def _need_m2m_changed(sender, instance, reverse, pk_set, **kwargs):
    if kwargs["action"] in ("post_add", "post_remove", "post_clear"):
        if reverse:
            series_changed(*CooperationNeed.objects.filter(pk__in=pk_set or []).values_list("series_id", flat=True))
        else:
            series_changed(instance.series_id)


def _directory_written(sender, instance, update_fields=None, **kwargs):
    if sender is get_user_model() and update_fields is not None and not set(update_fields) & PERSON_FIELDS_SHOWN:
        return
    bump(DIRECTORY)


def _access_models() -> list:
    """The models that decide who takes part in which series (selectors.access.ACCESS)."""
    registration = Series._meta.get_field("registrations").related_model  # of the registrations app, above this one
    return [Participation, OperatorMembership, Charter, CharterVersion, CharterAcceptance, registration]


def connect() -> None:
    """Drop the stamps on every write of the models that fragments show (MeetingsConfig.ready)."""
    bump_on_writes(ACCESS, *_access_models())
    for model in SERIES_OF:
        post_save.connect(_row_written, sender=model, dispatch_uid=f"fragments-{model.__name__}-save")
        post_delete.connect(_row_written, sender=model, dispatch_uid=f"fragments-{model.__name__}-delete")
    for through in (Series.coordinators.through, Series.organisations.through):
        m2m_changed.connect(_series_m2m_changed, sender=through, dispatch_uid=f"fragments-{through.__name__}")
    for through in (CooperationNeed.themes.through, CooperationNeed.operators_concerned.through):
        m2m_changed.connect(_need_m2m_changed, sender=through, dispatch_uid=f"fragments-{through.__name__}")
    for model in (get_user_model(), Theme):
        post_save.connect(_directory_written, sender=model, dispatch_uid=f"fragments-{model.__name__}-save")
        post_delete.connect(_directory_written, sender=model, dispatch_uid=f"fragments-{model.__name__}-delete")
