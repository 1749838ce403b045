"""The forms of consultations: what participants and coordinators type."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Contribution, Theme
from .services import MAX_PASTE_CHARS, MAX_TEXT


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Contribution.Kind.choices)
    text = forms.CharField(label=_("Your contribution"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class RecordForm(ContributionForm):
    text = forms.CharField(label=_("Contribution"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))
    organisation = forms.CharField(label=_("Organisation (optional)"), max_length=200, required=False)


class PasteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Contribution.Kind.choices)
    text = forms.CharField(
        label=_("The list"),
        max_length=MAX_PASTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One contribution per line or per bullet; bullets and numbering are removed."),
    )


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


class ThemeEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    statement = forms.CharField(
        label=_("Statement (► Expectations)"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MoveForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(session=session)
        self.fields["theme"].empty_label = _("Not sorted")


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=pgettext_lazy("noun", "Answer"), choices=Contribution.Status.choices)
    reason = forms.CharField(
        label=_("Reason or comment"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the item is not retained."),
    )


class MergeForm(forms.Form):
    items = forms.ModelMultipleChoiceField(queryset=Contribution.objects.none())
    text = forms.CharField(label=_("Text of the merged item (optional)"), max_length=MAX_TEXT, required=False)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = Contribution.objects.filter(
            session=session, merged_into__isnull=True, withdrawn_at__isnull=True
        )
        self.fields["items"].to_field_name = "public_id"


class _LocalDateTime(forms.DateTimeField):
    """A date and time typed in Brussels wall time (the site's time zone)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SynthesisForm(forms.Form):
    context = forms.CharField(
        label=_("Context"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    thanks = forms.CharField(
        label=_("Thanks"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_starts_at = _LocalDateTime(label=_("Next session: start"), required=False)
    next_ends_at = _LocalDateTime(label=_("Next session: end"), required=False)
    next_place = forms.CharField(label=_("Next session: place or link"), max_length=500, required=False)
    next_details = forms.CharField(
        label=_("Next session: details"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. “followed by a lunch”."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
