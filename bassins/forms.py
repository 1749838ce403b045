import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.brussels import BRUSSELS
from core.forms import NoControlCharactersMixin
from operators.forms import TerritoryFilterMixin
from operators.models import Operator, Public

from .models import OpenDoorsWeek, StateNote
from .selectors.bassin import MunicipalityChoice
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


class MunicipalityCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes, some of them shown but disabled: the municipalities another bassin holds."""

    disabled_values: frozenset[str] = frozenset()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class BassinMunicipalitiesForm(forms.Form):
    """The municipalities of the region, ticked when they lie in the bassin."""

    municipalities = forms.TypedMultipleChoiceField(
        label=_("Municipalities of the bassin"),
        coerce=int,
        required=False,
        widget=MunicipalityCheckboxes,
        help_text=_(
            "Tick the municipalities that lie in this bassin. A municipality split between bassins "
            "may be ticked by each of them; one that another bassin holds is moved by that bassin's coordinators."
        ),
    )

    def __init__(self, *args, choices: list[MunicipalityChoice], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipalities"]
        field.choices = [(c.municipality.pk, self._label(c)) for c in choices]
        field.widget.disabled_values = frozenset(str(c.municipality.pk) for c in choices if c.elsewhere)
        field.initial = [c.municipality.pk for c in choices if c.here]

    @staticmethod
    def _label(choice: MunicipalityChoice) -> str:
        name = choice.municipality.name
        if choice.elsewhere is not None:
            return _("%(municipality)s (in the %(bassin)s)") % {"municipality": name, "bassin": choice.elsewhere.name}
        if choice.split:
            return _("%(municipality)s (split between bassins)") % {"municipality": name}
        return name


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


class WeekForm(NoControlCharactersMixin, forms.ModelForm):
    class Meta:
        model = OpenDoorsWeek
        fields = ["starts_on", "ends_on", "description"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }


class SlotForm(NoControlCharactersMixin, forms.Form):
    """A visit slot: the host among the person's services of the bassin, a day of the week."""

    host = forms.ChoiceField(label=_("Service"))
    day = forms.ChoiceField(label=_("Day"))
    start_time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=480, initial=60)
    place = forms.CharField(label=_("Place"), max_length=300)
    programme = forms.CharField(
        label=_("What the visitors will see"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100, initial=5)

    def __init__(self, *args, hosts, days, **kwargs):
        super().__init__(*args, **kwargs)
        self._hosts = {str(op.pk): op for op in hosts}
        self.fields["host"].choices = [(str(op.pk), op.name) for op in hosts]
        self.fields["day"].choices = [(d.isoformat(), date_format(d, "l j F")) for d in days]

    def clean(self):
        cleaned = super().clean()
        if "host" in cleaned:
            cleaned["host"] = self._hosts[cleaned["host"]]
        if "day" in cleaned and cleaned.get("start_time"):
            day = datetime.date.fromisoformat(cleaned.pop("day"))
            cleaned["starts_at"] = datetime.datetime.combine(day, cleaned.pop("start_time"), tzinfo=BRUSSELS)
        return cleaned


class WeekFilterForm(forms.Form):
    """Browse the visits by day, kind of service and municipality."""

    day = forms.ChoiceField(label=_("Day"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Operator.Kind.choices], required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, *args, days, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self._municipalities = {m.slug: m for m in municipalities}
        self.fields["day"].choices = [("", _("Every day")), *((d.isoformat(), date_format(d, "l j F")) for d in days)]
        self.fields["municipality"].choices = [
            ("", _("All municipalities")),
            *((m.slug, m.name) for m in municipalities),
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "day": datetime.date.fromisoformat(data["day"]) if data["day"] else None,
            "kind": data["kind"],
            "municipality": self._municipalities.get(data["municipality"]),
        }
