"""The help desk's links on the map ("help-desk collaboration"): the service that
asked and each service the team contacted for the request. Only that the two
worked together shows, with the month; never the request or its text."""

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.brussels import brussels_date

from ..models import ContactMade


def help_desk_links(user, operator_ids, since: datetime.date | None, until: datetime.date | None):
    """(requester's service, contacted service, label, url) among `operator_ids` (one query)."""
    contacts = ContactMade.objects.filter(operator_id__in=operator_ids, request__requester_operator_id__in=operator_ids)
    if since:
        contacts = contacts.filter(created_at__date__gte=since)
    if until:
        contacts = contacts.filter(created_at__date__lte=until)
    for asker, contacted, at, slug, bassin in contacts.values_list(
        "request__requester_operator_id", "operator_id", "created_at", "request__bassin__slug", "request__bassin__name"
    ):
        label = _("Help desk of the %(bassin)s, %(month)s") % {
            "bassin": bassin,
            "month": date_format(brussels_date(at), "YEAR_MONTH_FORMAT"),
        }
        yield asker, contacted, label, reverse("helpdesk:desk", kwargs={"slug": slug})
