"""Numbers and dates as the reader's language writes them (core.formats)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from core import formats

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize(
    ("language", "whole", "half", "rounded", "missing"),
    [("fr", "14", "14,5", "3,33", "—"), ("en", "14", "14.5", "3.33", "—")],
)
def test_numbers_drop_a_zero_decimal_and_use_the_languages_separator(language, whole, half, rounded, missing):
    assert formats.number(14.0, language=language) == whole
    assert formats.number(14.5, language=language) == half
    assert formats.number(10 / 3, 2, language=language) == rounded
    assert formats.number(4.5, 2, language=language) == half.replace("14", "4")
    assert formats.number(1200, language=language) == "1200"
    assert formats.number(None, language=language) == missing


def test_days_and_percentages_in_french_and_english():
    assert formats.days(14.0, language="fr") == "14 jours"
    assert formats.days(14.5, language="fr") == "14,5 jours"
    assert formats.days(1, language="fr") == "1 jour"
    assert formats.days(14.5, language="en") == "14.5 days"
    assert formats.days(1.0, language="en") == "1 day"
    assert formats.days(None) == "—"
    assert formats.percent(0.75, language="fr") == "75\u00a0%"
    assert formats.percent(0.6667, language="en") == "67%"
    assert formats.percent(None) == "—"


def test_dates_in_words_from_dates_datetimes_and_iso_strings():
    assert formats.day("2020-09-01", language="fr") == "1 septembre 2020"
    assert formats.day(datetime.date(2020, 9, 1), language="en") == "Sept. 1, 2020"
    # Half past midnight in Brussels is still the day before in UTC: the day is Brussels'.
    moment = datetime.datetime(2020, 9, 1, 0, 30, tzinfo=BRUSSELS)
    assert formats.day(moment, language="fr") == "1 septembre 2020"
    assert formats.day("") == ""
    assert formats.day_of_month("2020-09-15", language="fr") == "15 septembre"


def test_the_active_language_is_the_default():
    with translation.override("en"):
        assert formats.number(14.5) == "14.5"
    with translation.override("fr"):
        assert formats.number(14.5) == "14,5"


def test_machine_datetime_has_no_microseconds():
    moment = datetime.datetime(2020, 9, 1, 11, 30, 5, 123456, tzinfo=datetime.UTC)
    assert formats.machine_datetime(moment) == "2020-09-01T13:30:05+02:00"


def test_template_filters_format_the_same_way():
    template = Template(
        "{% load format_tags %}"
        "{{ n|number }} · {{ d|days }} · {{ r|percent }} · {{ day|day }} · {{ at|machine_datetime }}"
    )
    context = Context(
        {
            "n": 4.0,
            "d": 2.5,
            "r": 0.5,
            "day": "2020-11-30",
            "at": datetime.datetime(2020, 11, 30, 13, 30, 0, 999999, tzinfo=BRUSSELS),
        }
    )
    with translation.override("fr"):
        assert template.render(context) == "4 · 2,5 jours · 50\u00a0% · 30 novembre 2020 · 2020-11-30T13:30:00+01:00"
