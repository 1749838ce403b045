"""The calendar file (RFC 5545) of a visit booked at the open-doors week.

As meetings/calendar.py says of sessions: calendars are copied to third-party
servers, so an entry holds the host service's name, the place, the times and
the address of the week's page; never the programme's text, the visitor's
name or anyone else's. UID is "visit-<slot public_id>@carrefour" and never
changes; times carry TZID=Europe/Brussels and the matching VTIMEZONE.
"""

import datetime

import icalendar
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.brussels import BRUSSELS
from core.links import absolute_url
from meetings.calendar import PRODID

from .models import VisitSlot


def visit_uid(slot: VisitSlot) -> str:
    return f"visit-{slot.public_id}@carrefour"


def visit_calendar(slot: VisitSlot) -> bytes:
    """The .ics file of one visit (METHOD:PUBLISH), with a display alarm a day before.

    The slot must come with its host and week (select_related): no query here.
    """
    start = slot.starts_at.astimezone(BRUSSELS)
    cal = icalendar.Calendar.new(prodid=PRODID, method="PUBLISH", calscale="GREGORIAN")
    cal.add_component(
        icalendar.Timezone.from_tzinfo(
            BRUSSELS,
            BRUSSELS.key,
            first_date=datetime.date(start.year, 1, 1),
            last_date=datetime.date(start.year + 1, 1, 1),
        )
    )
    week_url = absolute_url(reverse("bassins:week", kwargs={"week_id": slot.week.public_id}))
    event = icalendar.Event.new(
        uid=visit_uid(slot),
        stamp=timezone.now(),
        start=start,
        end=start + datetime.timedelta(minutes=slot.duration),
        summary=_("Open-doors visit: %(host)s") % {"host": slot.host.name},
        location=slot.place or None,
        description=_("The open-doors week: %(url)s") % {"url": week_url},
        url=week_url,
        status="CONFIRMED",
    )
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -datetime.timedelta(days=1), parameters={"RELATED": "START"})
    alarm.add("description", _("Open-doors visit"))
    event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical()
