from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin
from operators.forms import TerritoryFilterMixin
from operators.models import Operator, Public

from .models import StateNote
from .selectors.network import MapFilters


class StateNoteForm(NoControlCharactersMixin, forms.ModelForm):
    class Meta:
        model = StateNote
        fields = ["title", "body", "as_of", "source", "source_url"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8}), "as_of": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "as_of": _("The day the figures or the diagnosis describe."),
            "source": _("Where it comes from: a study, a census, a meeting (with its year)."),
        }


class MapFilterForm(TerritoryFilterMixin, forms.Form):
    """The map's filters: territory, kind, public served, period."""

    territory = forms.ChoiceField(label=_("Territory"), required=False)
    bassin = forms.ChoiceField(label=_("Bassin"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Operator.Kind.choices], required=False)
    public = forms.ChoiceField(
        label=_("Public served"), choices=[("", _("All publics")), *Public.choices], required=False
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._territory_filters()

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period comes after its start."))
        return cleaned

    def filters(self) -> MapFilters:
        """The filters to apply: none when the form is invalid (a bad filter is ignored, not a 500)."""
        if not self.is_valid():
            return MapFilters()
        data = self.cleaned_data
        return MapFilters(
            territory=data["territory"],
            bassin=data["bassin"],
            municipality=data["municipality"],
            kind=data["kind"],
            public=data["public"],
            since=data["since"],
            until=data["until"],
        )
