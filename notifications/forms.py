from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import Weekday

from ..models import NotificationKind
from .kinds import OPTIONAL_KINDS


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Emails I receive"),
        choices=[(k, NotificationKind(k).label) for k in OPTIONAL_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Invitations to sessions and cancellations are always sent."),
    )
    digest_weekday = forms.TypedChoiceField(
        label=_("Weekly digest"),
        choices=[("", _("No digest"))] + [(str(d.value), d.label) for d in Weekday],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Sent at 8:00 (Brussels time) on that day, when there is something to say."),
    )
