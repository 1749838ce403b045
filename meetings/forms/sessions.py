"""Forms of the recurrence, the explicit calendar and the sessions.

Forms check the shape of the input (times, lengths, choices limited to this
series); the services decide the rest (period, overlaps) and their errors are
put back on the fields with `add_service_errors`.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.brussels import BRUSSELS
from core.forms import NoControlCharactersMixin

from ..models import CalendarDate, Mode, Series, Session, Weekday
from ..selectors.sessions import host_candidates
from ..services.sessions import MAX_DURATION, MIN_DURATION

MONTH_WEEK_CHOICES = [
    (1, _("First")),
    (2, _("Second")),
    (3, _("Third")),
    (4, _("Fourth")),
    (-1, _("Last")),
]
RECURRENCE_CHOICES = [(value, label) for value, label in Series.Recurrence.choices if value != Series.Recurrence.NONE]
# Dates a person may type without meaning something else (a year of 20 instead of 2020).
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (unknown fields: on the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecurrenceForm(forms.Form):
    recurrence = forms.ChoiceField(label=_("The sessions take place"), choices=RECURRENCE_CHOICES)
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), choices=[("", "—"), *Weekday.choices], coerce=int, required=False, empty_value=None
    )
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=_time_input(), help_text=_("Brussels time, e.g. 13:30.")
    )
    duration = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=MIN_DURATION, max_value=MAX_DURATION, initial=60
    )
    interval_weeks = forms.IntegerField(
        label=_("Every … weeks"),
        min_value=1,
        max_value=52,
        initial=2,
        required=False,
        help_text=_("Only for “every few weeks”."),
    )
    month_week = forms.TypedChoiceField(
        label=_("Week of the month"),
        choices=[("", "—"), *MONTH_WEEK_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Only for “monthly”: e.g. the last Thursday of each month."),
    )
    skip_holidays = forms.BooleanField(
        label=_("Skip Belgian public holidays"),
        required=False,
        help_text=_("The dates of an explicit calendar are never skipped: you chose them."),
    )

    @classmethod
    def initial_for(cls, series: Series) -> dict:
        return {
            "recurrence": series.recurrence if series.recurrence != Series.Recurrence.NONE else "weekly",
            "weekday": series.weekday,
            "start_time": series.start_time,
            "duration": series.default_duration,
            "interval_weeks": series.interval_weeks if series.interval_weeks > 1 else 2,
            "month_week": series.month_week,
            "skip_holidays": series.skip_holidays,
        }

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("recurrence")
        if kind in (Series.Recurrence.WEEKLY, Series.Recurrence.EVERY_N_WEEKS, Series.Recurrence.MONTHLY):
            if cleaned.get("weekday") is None and "weekday" not in self.errors:
                self.add_error("weekday", _("Choose the day of the week."))
            if cleaned.get("start_time") is None and "start_time" not in self.errors:
                self.add_error("start_time", _("Give the start time, for example 13:30."))
        interval_missing = not cleaned.get("interval_weeks") and "interval_weeks" not in self.errors
        if kind == Series.Recurrence.EVERY_N_WEEKS and interval_missing:
            self.add_error("interval_weeks", _("Choose an interval from 1 to 52 weeks."))
        if kind == Series.Recurrence.MONTHLY and cleaned.get("month_week") is None and "month_week" not in self.errors:
            self.add_error("month_week", _("Choose the first to fourth or the last week of the month."))
        return cleaned

    def service_kwargs(self) -> dict:
        """The arguments of series_set_recurrence."""
        data = self.cleaned_data
        return {
            "recurrence": data["recurrence"],
            "weekday": data["weekday"],
            "start_time": data["start_time"],
            "duration": data["duration"],
            "interval_weeks": data["interval_weeks"] or 1,
            "month_week": data["month_week"],
            "skip_holidays": data["skip_holidays"],
        }


class _WhenForm(NoControlCharactersMixin, forms.Form):
    """A date with a start and an end time (Brussels), turned into a duration."""

    date = forms.DateField(label=_("Date"), widget=_date_input())
    start_time = forms.TimeField(label=_("Start time"), widget=_time_input())
    end_time = forms.TimeField(label=_("End time"), widget=_time_input())
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    host_operator = forms.ModelChoiceField(
        label=_("Host"), queryset=None, required=False, empty_label=_("No host operator")
    )

    def __init__(self, series: Series, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.series = series
        self.fields["host_operator"].queryset = host_candidates(series)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not EARLIEST <= day <= LATEST:
            raise ValidationError(_("Give a date between 2000 and 2099."))
        return day

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end:
            if end <= start:
                self.add_error("end_time", _("The end must come after the start (on the same day)."))
            else:
                minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
                if minutes < MIN_DURATION:
                    self.add_error("end_time", _("A meeting lasts at least %(min)d minutes.") % {"min": MIN_DURATION})
                cleaned["duration"] = minutes
        return cleaned


class CalendarDateForm(_WhenForm):
    """One date of an explicit calendar."""

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "start_time": data["start_time"],
            "duration": data["duration"],
            "venue": data["venue"],
            "host_operator": data["host_operator"],
        }


class CalendarDateRemoveForm(forms.Form):
    calendar_date = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, series: Series, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this series' dates: another series' id is "not a valid choice".
        self.fields["calendar_date"].queryset = CalendarDate.objects.filter(series=series)


class SessionForm(_WhenForm):
    """An extra session, or a change to one: when, how, where, who hosts."""

    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    video_url = forms.URLField(
        label=_("Videoconference link for this session"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Leave empty to use the series' link."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Leave empty for no limit. Past it, registrations go to a waiting list, served in order."),
    )
    field_order = ["date", "start_time", "end_time", "mode", "venue", "video_url", "host_operator", "capacity"]

    def __init__(self, series: Series, *args, **kwargs):
        super().__init__(series, *args, **kwargs)
        if not series.takes_registrations:
            del self.fields["capacity"]  # operators only: no places to count

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        start = session.starts_at.astimezone(BRUSSELS)
        end = session.ends_at.astimezone(BRUSSELS)
        return {
            "date": start.date(),
            "start_time": start.time().replace(tzinfo=None),
            "end_time": end.time().replace(tzinfo=None),
            "mode": session.mode,
            "venue": session.venue,
            "video_url": session.video_url,
            "host_operator": session.host_operator_id,
            "capacity": session.capacity,
        }

    def clean_video_url(self):
        url = self.cleaned_data["video_url"]
        if url and not url.lower().startswith("https://"):
            raise ValidationError(_("Give a secure link, starting with https://."))
        return url

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") in (Mode.IN_PERSON, Mode.HYBRID) and not cleaned.get("venue"):
            self.add_error("venue", _("Say where the meeting takes place."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "start_time": data["start_time"],
            "duration": data["duration"],
            "mode": data["mode"],
            "venue": data["venue"],
            "video_url": data["video_url"],
            "host_operator": data["host_operator"],
        } | ({"capacity": data["capacity"]} if "capacity" in self.fields else {})


class SessionCancelForm(NoControlCharactersMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone taking part in the series will see it. No personal or clinical detail."),
    )
