"""Writes on a series' recurrence and its sessions.

How sessions are generated (one place for the rules, see also meetings.recurrence):

- The window is the series' period, `pilot_start`..`pilot_end`. Without a
  start, it starts today (Brussels); without an end, it lasts 12 months from
  its start. No session is ever generated outside it.
- "Every N weeks" counts from the period start (or the day the series was
  created when it has none), so regenerating later keeps the same cycle.
- The past is history. Once a series has a session that started before now,
  a regeneration neither creates nor removes anything before now. A series
  without any past session (a first generation, e.g. recording a pilot after
  the fact) is generated over its whole period.
- Among the sessions to come, those that are kept as they are: held or
  cancelled ones, extra ones and those with content (`sessions_with_content`).
  No occurrence is created on a date that holds a kept session (the kept
  session stands for it). Every other session to come is regenerated: kept
  if the recurrence still gives its start and end (its mode, venue, host and
  holiday are brought up to date), removed otherwise.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.brussels import BRUSSELS, brussels_date
from core.permissions import require_perm
from core.services import audit_record
from operators.models import Operator

from .. import recurrence as rec
from ..fragments import series_changed
from ..models import (
    Action,
    Attendance,
    CalendarDate,
    Decision,
    InfoRoundEntry,
    Minutes,
    Mode,
    NeedMention,
    Series,
    Session,
)
from ..places import session_places_set
from ..selectors.sessions import host_candidates
from .agenda import agenda_for_new_sessions

PERIODIC = (Series.Recurrence.WEEKLY, Series.Recurrence.EVERY_N_WEEKS, Series.Recurrence.MONTHLY)
SCHEDULABLE = (*PERIODIC, Series.Recurrence.EXPLICIT)
MIN_DURATION, MAX_DURATION = 5, 720
_KEEP = object()


@dataclass
class RegenerationReport:
    """What a regeneration did to the sessions to come."""

    created: list[Session] = field(default_factory=list)
    removed: list[Session] = field(default_factory=list)
    # Sessions to come left as they were because they are held, cancelled,
    # extra or have content: the coordinator should check them.
    kept: list[Session] = field(default_factory=list)
    # Generated sessions the new recurrence still gives, with a new mode,
    # venue, host or holiday name.
    updated: list[Session] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    start: datetime.date
    end: datetime.date
    cutoff: datetime.datetime | None
    occurrences: list[rec.Occurrence]  # over the whole window
    wanted: list[rec.Occurrence]  # from the cutoff on


def _local_date(moment: datetime.datetime) -> datetime.date:
    return brussels_date(moment)


def _one_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def generation_window(series: Series, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The dates sessions may be generated on: the period, or 12 months from today without one."""
    start = series.pilot_start or today
    end = series.pilot_end or _one_year_later(start) - datetime.timedelta(days=1)
    return start, end


def recurrence_anchor(series: Series) -> datetime.date:
    """Where "every N weeks" is counted from: stable across regenerations."""
    if series.pilot_start:
        return series.pilot_start
    return _local_date(series.created_at) if series.created_at else timezone.localdate()


def recurrence_spec(series: Series, calendar_dates=None) -> rec.RecurrenceSpec:
    """The series' recurrence as a pure spec (one query for an explicit calendar)."""
    if series.recurrence == Series.Recurrence.EXPLICIT and calendar_dates is None:
        calendar_dates = series.calendar_dates.all()
    dates = tuple(
        rec.ExplicitDate(
            date=d.date,
            start_time=d.start_time,
            duration=d.duration,
            venue=d.venue,
            host_operator_id=d.host_operator_id,
        )
        for d in calendar_dates or ()
    )
    return rec.RecurrenceSpec(
        kind=series.recurrence,
        duration=series.default_duration,
        weekday=series.weekday,
        start_time=series.start_time,
        interval_weeks=series.interval_weeks,
        month_week=series.month_week,
        anchor=recurrence_anchor(series),
        dates=dates,
        skip_holidays=series.skip_holidays,
        venue=series.default_venue,
    )


def _plan(series: Series, now: datetime.datetime, *, language: str | None = None, include_skipped=False) -> _Plan:
    start, end = generation_window(series, _local_date(now))
    if series.recurrence not in SCHEDULABLE:
        found = []
    else:
        found = rec.occurrences(
            recurrence_spec(series),
            start,
            end,
            language=language or settings.LANGUAGE_CODE,
            include_skipped=include_skipped,
        )
    has_past = series.pk is not None and series.sessions.filter(starts_at__lt=now).exists()
    cutoff = now if has_past else None
    wanted = [o for o in found if cutoff is None or o.starts_at >= cutoff]
    return _Plan(start=start, end=end, cutoff=cutoff, occurrences=found, wanted=wanted)


def recurrence_preview(*, series: Series, now=None, language: str | None = None) -> dict:
    """What generating `series` would schedule, without saving: the window, the dates
    (skipped holidays flagged), and the sessions to come that would be kept as they are."""
    now = now or timezone.now()
    plan = _plan(series, now, language=language, include_skipped=True)
    to_come = list(series.sessions.filter(starts_at__gte=now)) if series.pk else []
    with_content = sessions_with_content(to_come)
    kept = [s for s in to_come if _is_kept(s, with_content)]
    return {"start": plan.start, "end": plan.end, "cutoff": plan.cutoff, "occurrences": plan.wanted, "kept": kept}


def sessions_with_content(sessions) -> set[int]:
    """Ids of those `sessions` about which something was written (agenda
    changes, info-round entries, attendance, minutes, decisions, actions,
    mentions of needs), so that a regeneration must never remove them.

    One query whatever the number of sessions; the one place to extend when
    something new is written about a session.
    """
    ids = [s.pk for s in sessions if s.pk]
    if not ids:
        return set()
    related = (InfoRoundEntry, Attendance, Minutes, Decision, Action, NeedMention)
    condition = Q(is_customised=True) | Q(agenda_customised=True)
    for model in related:
        condition |= Q(Exists(model.objects.filter(session_id=OuterRef("pk"))))
    return set(Session.objects.filter(pk__in=ids).filter(condition).values_list("pk", flat=True))


def session_has_content(session: Session) -> bool:
    """Whether something was written for or about `session` (see sessions_with_content)."""
    return session.pk in sessions_with_content([session])


def _is_kept(session: Session, with_content: set[int]) -> bool:
    return session.status != Session.Status.PLANNED or session.is_extra or session.pk in with_content


@transaction.atomic
def sessions_generate(*, series: Series, now: datetime.datetime | None = None) -> RegenerationReport:
    """Bring the sessions to come in line with the series' recurrence.

    Guarantees (see the module docstring): nothing outside the window is
    created; nothing before `now` is touched once the series has a past
    session; held, cancelled, extra and customised sessions are never
    removed or changed, and reported as kept; running it twice changes
    nothing the second time. Sessions created get their agenda from the
    series' current template.
    """
    now = now or timezone.now()
    Series.objects.select_for_update().filter(pk=series.pk).exists()  # one regeneration at a time
    plan = _plan(series, now)
    to_come = list(series.sessions.filter(starts_at__gte=now))
    with_content = sessions_with_content(to_come)
    report = RegenerationReport(kept=[s for s in to_come if _is_kept(s, with_content)])
    taken_dates = {_local_date(s.starts_at) for s in report.kept}
    taken_dates |= {s.original_date for s in report.kept if s.original_date}
    taken_dates |= {_local_date(s.starts_at) for s in series.sessions.filter(starts_at__lt=now)}
    regenerable = {s.starts_at: s for s in to_come if not _is_kept(s, with_content)}
    new = []
    for occ in plan.wanted:
        if occ.local_date in taken_dates:
            continue
        venue = occ.venue or series.default_venue
        session = regenerable.pop(occ.starts_at, None)
        if session is not None and session.ends_at == occ.ends_at:
            if _refresh(session, mode=series.default_mode, venue=venue, host=occ.host_operator_id, holiday=occ.holiday):
                report.updated.append(session)
            continue
        if session is not None:
            regenerable[occ.starts_at] = session  # same start, other end: replaced below
        new.append(
            Session(
                series=series,
                starts_at=occ.starts_at,
                ends_at=occ.ends_at,
                mode=series.default_mode,
                venue=venue,
                host_operator_id=occ.host_operator_id,
                holiday=occ.holiday,
                original_date=occ.local_date,
            )
        )
    report.removed = sorted(regenerable.values(), key=lambda s: s.starts_at)
    if report.removed:
        Session.objects.filter(pk__in=[s.pk for s in report.removed]).delete()
    report.created = Session.objects.bulk_create(new)
    series_changed(series.pk)
    agenda_for_new_sessions(series=series, sessions=report.created)
    return report


def _refresh(session: Session, *, mode: str, venue: str, host: int | None, holiday: str) -> bool:
    """Bring a generated session up to date; a visible change bumps its SEQUENCE."""
    visible = (session.mode, session.venue, session.host_operator_id) != (mode, venue, host)
    if not visible and session.holiday == holiday:
        return False
    session.mode, session.venue, session.host_operator_id, session.holiday = mode, venue, host, holiday
    if visible:
        session.sequence += 1
    session.save(update_fields=["mode", "venue", "host_operator", "holiday", "sequence", "updated_at"])
    return True


def _check_duration(duration: int, field_name: str = "duration") -> None:
    if not isinstance(duration, int) or not MIN_DURATION <= duration <= MAX_DURATION:
        raise ValidationError(
            {field_name: _("A meeting lasts from %(min)d minutes to 12 hours.") % {"min": MIN_DURATION}}
        )


def _format_date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _refuse_empty(series: Series, plan: _Plan) -> None:
    if plan.end < plan.start:
        raise ValidationError(_("The period of this series is over: no session can be scheduled."))
    if not plan.occurrences and series.recurrence == Series.Recurrence.EXPLICIT:
        raise ValidationError(_("The calendar has no date in the period of the series yet: add dates first."))
    if not plan.occurrences:
        raise ValidationError(
            _("This recurrence gives no date between %(start)s and %(end)s. Choose another one.")
            % {"start": _format_date(plan.start), "end": _format_date(plan.end)}
        )
    if not plan.wanted:
        raise ValidationError(
            _("Every date this recurrence gives is already past: no session can be scheduled any more.")
        )


@transaction.atomic
def series_set_recurrence(
    *,
    actor,
    series: Series,
    recurrence: str,
    weekday: int | None = None,
    start_time: datetime.time | None = None,
    duration: int | None = None,
    interval_weeks: int = 1,
    month_week: int | None = None,
    skip_holidays: bool = True,
    now: datetime.datetime | None = None,
) -> RegenerationReport:
    """Set the series' recurrence and regenerate its sessions to come.

    `duration` (minutes) becomes the series' default duration when given.
    Refuses (ValidationError, nothing saved) a recurrence that is
    incomplete or yields no session to schedule. Returns what the
    regeneration created, removed and kept (see sessions_generate).
    """
    require_perm(actor, "meetings.change_series", series)
    now = now or timezone.now()
    if recurrence not in SCHEDULABLE:
        raise ValidationError({"recurrence": _("Choose how the sessions recur.")})
    errors = {}
    if recurrence in PERIODIC:
        if weekday not in range(7):
            errors["weekday"] = _("Choose the day of the week.")
        if not isinstance(start_time, datetime.time):
            errors["start_time"] = _("Give the start time, for example 13:30.")
    if recurrence == Series.Recurrence.EVERY_N_WEEKS and interval_weeks not in range(1, 53):
        errors["interval_weeks"] = _("Choose an interval from 1 to 52 weeks.")
    if recurrence == Series.Recurrence.MONTHLY and month_week not in rec.MONTH_WEEKS:
        errors["month_week"] = _("Choose the first to fourth or the last week of the month.")
    if errors:
        raise ValidationError(errors)
    if duration is not None:
        _check_duration(duration)
        series.default_duration = duration
    series.recurrence = recurrence
    series.skip_holidays = bool(skip_holidays)
    if recurrence in PERIODIC:
        series.weekday, series.start_time = weekday, start_time.replace(second=0, microsecond=0, tzinfo=None)
    series.interval_weeks = interval_weeks if recurrence == Series.Recurrence.EVERY_N_WEEKS else 1
    series.month_week = month_week if recurrence == Series.Recurrence.MONTHLY else None
    try:
        _refuse_empty(series, _plan(series, now))
    except ValidationError:
        series.refresh_from_db()
        raise
    series.save(
        update_fields=[
            "recurrence",
            "weekday",
            "start_time",
            "default_duration",
            "interval_weeks",
            "month_week",
            "skip_holidays",
            "updated_at",
        ]
    )
    report = sessions_generate(series=series, now=now)
    audit_record(
        actor=actor,
        action="series.recurrence",
        obj=series,
        detail={
            "recurrence": recurrence,
            "created": len(report.created),
            "removed": len(report.removed),
            "kept": len(report.kept),
        },
    )
    return report


def _check_in_period(series: Series, day: datetime.date, field_name: str = "date") -> None:
    if (series.pilot_start and day < series.pilot_start) or (series.pilot_end and day > series.pilot_end):
        raise ValidationError(
            {
                field_name: _("Choose a date in the period of the series, from %(start)s to %(end)s.")
                % {
                    "start": _format_date(series.pilot_start) if series.pilot_start else "…",
                    "end": _format_date(series.pilot_end) if series.pilot_end else "…",
                }
            }
        )


def _check_host(series: Series, host: Operator | None) -> None:
    if host is not None and not host_candidates(series).filter(pk=host.pk).exists():
        raise ValidationError({"host_operator": _("Choose an operator that takes part in this series.")})


def _holiday_name(day: datetime.date) -> str:
    return rec.public_holidays(day, day, settings.LANGUAGE_CODE).get(day, "")


@transaction.atomic
def calendar_date_add(
    *,
    actor,
    series: Series,
    date: datetime.date,
    start_time: datetime.time,
    duration: int,
    venue: str = "",
    host_operator: Operator | None = None,
    now: datetime.datetime | None = None,
) -> CalendarDate:
    """Add a date to the series' explicit calendar, inside its period and
    at most once per date and time. When the series follows its explicit
    calendar, the session of that date is generated at once."""
    require_perm(actor, "meetings.change_series", series)
    _check_duration(duration)
    _check_in_period(series, date)
    _check_host(series, host_operator)
    start_time = start_time.replace(second=0, microsecond=0, tzinfo=None)
    if series.calendar_dates.filter(date=date, start_time=start_time).exists():
        raise ValidationError({"date": _("The calendar already has a meeting on this date at this time.")})
    calendar_date = CalendarDate.objects.create(
        series=series,
        date=date,
        start_time=start_time,
        duration=duration,
        venue=venue.strip(),
        host_operator=host_operator,
    )
    if series.recurrence == Series.Recurrence.EXPLICIT:
        sessions_generate(series=series, now=now)
    audit_record(actor=actor, action="calendar_date.add", obj=series, detail={"calendar_date": calendar_date.pk})
    return calendar_date


@transaction.atomic
def calendar_date_remove(*, actor, calendar_date: CalendarDate, now=None) -> RegenerationReport | None:
    """Remove a date from the explicit calendar. Its session to come goes with
    it unless it is kept (held, cancelled, customised); past ones stay."""
    series = calendar_date.series
    require_perm(actor, "meetings.change_series", series)
    pk = calendar_date.pk
    calendar_date.delete()
    report = sessions_generate(series=series, now=now) if series.recurrence == Series.Recurrence.EXPLICIT else None
    audit_record(actor=actor, action="calendar_date.remove", obj=series, detail={"calendar_date": pk})
    return report


def _bounds(day: datetime.date, start_time: datetime.time, duration: int):
    starts_at = rec.wall_to_utc(day, start_time)
    return starts_at, starts_at + datetime.timedelta(minutes=duration)


def _check_video_url(url: str) -> None:
    if url and not url.lower().startswith("https://"):
        raise ValidationError({"video_url": _("Give a secure link, starting with https://.")})


@transaction.atomic
def session_add(
    *,
    actor,
    series: Series,
    date: datetime.date,
    start_time: datetime.time,
    duration: int,
    mode: str | None = None,
    venue: str = "",
    video_url: str = "",
    host_operator: Operator | None = None,
    capacity: int | None = None,
) -> Session:
    """Schedule an extra session, inside the series' period (Brussels wall
    time), with the agenda of the series' current template and `capacity`
    places (None: no limit; set as registrations set places). It is never
    touched by a regeneration."""
    require_perm(actor, "meetings.change_series", series)
    _check_duration(duration)
    _check_in_period(series, date)
    _check_host(series, host_operator)
    _check_video_url(video_url)
    mode = mode or series.default_mode
    if mode not in Mode.values:
        raise ValidationError({"mode": _("Choose a mode.")})
    starts_at, ends_at = _bounds(date, start_time, duration)
    session = Session.objects.create(
        series=series,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        venue=venue.strip() or (series.default_venue if mode != Mode.VIDEO else ""),
        video_url=video_url,
        host_operator=host_operator,
        holiday=_holiday_name(date),
        is_extra=True,
        is_customised=True,
    )
    agenda_for_new_sessions(series=series, sessions=[session])
    audit_record(actor=actor, action="session.add", obj=session)
    if capacity is not None:
        session_places_set(actor=actor, session=session, capacity=capacity)
    return session


def _lock(session: Session) -> Session:
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.status != Session.Status.PLANNED:
        raise ValidationError(_("Only a planned session can be changed."))
    return locked


@transaction.atomic
def session_move(
    *,
    actor,
    session: Session,
    date=_KEEP,
    start_time=_KEEP,
    duration=_KEEP,
    mode=_KEEP,
    venue=_KEEP,
    video_url=_KEEP,
    host_operator=_KEEP,
    capacity=_KEEP,
) -> Session:
    """Change a planned session's date, time, duration, mode, venue, link,
    host or places (arguments left out are kept). A real change but of the
    places increments its SEQUENCE and marks it customised, so regenerations
    leave it alone; the new date must lie in the series' period. A new start
    keeps the one it replaces in `moved_from`. The places are set as
    registrations set them (meetings/places.py): never below the places
    confirmed, and places added go to the waiting list in order."""
    series = session.series
    require_perm(actor, "meetings.change_series", series)
    locked = _lock(session)
    local = locked.starts_at.astimezone(BRUSSELS)
    date = local.date() if date is _KEEP else date
    start_time = local.time().replace(tzinfo=None) if start_time is _KEEP else start_time
    duration = locked.duration_minutes if duration is _KEEP else duration
    _check_duration(duration)
    _check_in_period(series, date)
    changes = {}
    if host_operator is not _KEEP:
        _check_host(series, host_operator)
        changes["host_operator_id"] = host_operator.pk if host_operator else None
    if mode is not _KEEP:
        if mode not in Mode.values:
            raise ValidationError({"mode": _("Choose a mode.")})
        changes["mode"] = mode
    if venue is not _KEEP:
        changes["venue"] = venue.strip()
    if video_url is not _KEEP:
        _check_video_url(video_url)
        changes["video_url"] = video_url
    starts_at, ends_at = _bounds(date, start_time.replace(second=0, microsecond=0, tzinfo=None), duration)
    changes |= {"starts_at": starts_at, "ends_at": ends_at, "holiday": _holiday_name(date)}
    changed = sorted(k for k, v in changes.items() if getattr(locked, k) != v)
    if capacity is not _KEEP and capacity != locked.capacity:
        session_places_set(actor=actor, session=locked, capacity=capacity)
    if not changed:
        return locked
    if "starts_at" in changed:
        locked.moved_from = locked.starts_at
    for key in changed:
        setattr(locked, key, changes[key])
    locked.sequence += 1
    locked.is_customised = True
    locked.save()
    audit_record(actor=actor, action="session.move", obj=locked, detail={"fields": changed})
    return locked


def session_change_mode(*, actor, session: Session, mode: str) -> Session:
    """Switch a planned session to videoconference, in person or hybrid (see session_move)."""
    return session_move(actor=actor, session=session, mode=mode)


@transaction.atomic
def session_cancel(*, actor, session: Session, reason: str) -> Session:
    """Cancel a planned session with a reason everyone taking part sees.
    Increments its SEQUENCE; a cancelled session is never regenerated."""
    require_perm(actor, "meetings.change_series", session.series)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled: everyone taking part will see it.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    locked = _lock(session)
    locked.status = Session.Status.CANCELLED
    locked.cancel_reason = reason
    locked.sequence += 1
    locked.is_customised = True
    locked.save(update_fields=["status", "cancel_reason", "sequence", "is_customised", "updated_at"])
    audit_record(actor=actor, action="session.cancel", obj=locked)
    return locked
