from django import forms
from django.contrib.auth import get_user_model
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from .registry import preference_kinds


def _alarm_choices():
    # The person model's own choices (accounts), read through the field: this
    # app does not import the people's app.
    field = get_user_model()._meta.get_field("calendar_alarm")
    return [("", _("No reminder"))] + [(str(value), label) for value, label in field.choices]


def _kind_choices():
    return [(kind.code, kind.label) for kind in preference_kinds()]


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Emails I receive"),
        choices=_kind_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Invitations to sessions and cancellations are always sent."),
    )
    digest_weekday = forms.TypedChoiceField(
        label=_("Weekly digest"),
        # Django's names of the days; 0 is Monday, as Python's weekday() and the digest's scan count.
        choices=[("", _("No digest"))] + [(str(day), name) for day, name in WEEKDAYS.items()],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Sent at 8:00 (Brussels time) on that day, when there is something to say."),
    )
    calendar_alarm = forms.TypedChoiceField(
        label=_("Reminder in my calendar"),
        choices=_alarm_choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Your calendar application reminds you of each session this long before it, "
            "from the calendar files and your calendar feed."
        ),
    )
