"""Minutes approved at the next session (a series option, as boards do).

Published minutes of such a series are provisional. Until the next session
starts, whoever takes part in the series may propose a correction on one of
their agenda items (or on the minutes as a whole); coordinators see them all,
the others their own. The next session's agenda gets an item "approval of
the minutes of <date>"; ticking it in the live session accepts or declines
each correction and approves the minutes (services.minutes.minutes_approve_at_session).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.brussels import BRUSSELS
from core.permissions import require_perm
from core.services import audit_record

from ..models import AgendaItem, AgendaItemKind, Minutes, MinutesCorrection, PresenterRole, Session

MAX_CORRECTION_LENGTH = 2000
APPROVAL_TIMEBOX = 5


def minutes_approving_session(minutes: Minutes) -> Session | None:
    """The session that approves provisional minutes: the one whose agenda holds
    their approval item, else the next planned session of the series."""
    item = minutes.approval_items.select_related("session").first()
    if item is not None:
        return item.session
    return (
        Session.objects.filter(
            series_id=minutes.session.series_id,
            status=Session.Status.PLANNED,
            starts_at__gt=minutes.session.starts_at,
        )
        .order_by("starts_at", "pk")
        .first()
    )


def minutes_approval_item_add(*, minutes: Minutes) -> AgendaItem | None:
    """Put "approval of the minutes of <date>" first on the agenda of the
    session that approves `minutes` (none yet: None). Safe to call twice."""
    session = minutes_approving_session(minutes)
    if session is None:
        return None
    day = minutes.session.starts_at.astimezone(BRUSSELS).date()
    # The title is stored with the agenda, in the portal's language, like the template's items.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Approval of the minutes of %(date)s") % {"date": formats.date_format(day, "j F Y")}
    item, _created = AgendaItem.objects.get_or_create(
        session=session,
        kind=AgendaItemKind.MINUTES_APPROVAL,
        minutes_to_approve=minutes,
        defaults={
            "position": 0,
            "title": title,
            "timebox": APPROVAL_TIMEBOX,
            "presenter_role": PresenterRole.COORDINATOR,
        },
    )
    return item


def corrections_open(minutes: Minutes, now: datetime.datetime) -> bool:
    """Whether corrections may be proposed: the minutes are provisional and
    the session that approves them has not started."""
    if not minutes.provisional:
        return False
    session = minutes_approving_session(minutes)
    return session is None or now < session.starts_at


@transaction.atomic
def minutes_correction_propose(
    *, actor, minutes: Minutes, text: str, agenda_item: AgendaItem | None = None, now=None
) -> MinutesCorrection:
    """Record a correction proposed by someone taking part in the series, while
    corrections are open (see corrections_open); on an item of these minutes' session."""
    now = now or timezone.now()
    require_perm(actor, "meetings.view_series", minutes.session.series)
    locked = Minutes.objects.select_for_update().select_related("session__series").get(pk=minutes.pk)
    if not corrections_open(locked, now):
        raise ValidationError(_("These minutes are no longer open to corrections."))
    if agenda_item is not None and agenda_item.session_id != locked.session_id:
        raise ValidationError({"agenda_item": _("Choose an item of these minutes.")})
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Write the correction you propose.")})
    if len(text) > MAX_CORRECTION_LENGTH:
        raise ValidationError(
            {"text": _("Keep the correction under %(max)d characters.") % {"max": MAX_CORRECTION_LENGTH}}
        )
    correction = MinutesCorrection.objects.create(minutes=locked, agenda_item=agenda_item, text=text, author=actor)
    audit_record(actor=actor, action="minutes.correction_propose", obj=locked, detail={"correction": correction.pk})
    return correction
