"""Filters that write numbers and dates as the reader's language does (see core.formats)."""

from django import template

from .. import formats

register = template.Library()

register.filter("number", formats.number)
register.filter("percent", formats.percent)
register.filter("days", formats.days)
register.filter("day", formats.day)
register.filter("machine_datetime", formats.machine_datetime)
