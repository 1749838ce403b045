from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin, phone_validator

from .models import MembershipRole, Operator, Public, Territory
from .selectors import territory_choices

CONTACT_FIELDS = ["description", "street", "postal_code", "city", "phone", "email", "website"]


class OperatorContactForm(NoControlCharactersMixin, forms.ModelForm):
    """What an operator's referent keeps up to date."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Operator
        fields = CONTACT_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(phone_validator)
        self.fields["description"].max_length = 4000
        self.fields["description"].help_text = _(
            "What the service offers, to whom, and how to reach it (4000 characters at most)."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


def served_choices(territories: list[Territory]) -> list:
    """The territories an operator may serve, grouped: municipalities under their
    bassin or region, a split municipality once per bassin sharing it (the operator
    chooses its part); regions, provinces and bassins in a group of their own.
    A value is "<territory id>" or "<territory id>:<bassin id>"."""
    split = {}
    for territory in territories:
        for bassin in territory.split_between.all():
            split.setdefault(territory, []).append(bassin)
    groups: dict[str, list] = {}
    wide = []
    for territory in territories:
        if territory.kind != Territory.Kind.MUNICIPALITY:
            wide.append((str(territory.pk), territory.name))
            continue
        group = groups.setdefault(territory.parent.name if territory.parent else "", [])
        for bassin in split.get(territory, []):
            label = _("%(municipality)s, part in %(bassin)s") % {"municipality": territory.name, "bassin": bassin.name}
            group.append((f"{territory.pk}:{bassin.pk}", label))
        if territory in split:
            label = _("%(municipality)s, part in another bassin") % {"municipality": territory.name}
            group.append((str(territory.pk), label))
        else:
            group.append((str(territory.pk), territory.name))
    return [(_("Regions, provinces and bassins"), wide), *sorted(groups.items())]


class OperatorForm(OperatorContactForm):
    """The whole operator record, for coordinators and admins."""

    publics = forms.MultipleChoiceField(
        label=_("Public served"), choices=Public.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    served = forms.MultipleChoiceField(
        label=_("Territories served"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a municipality split between bassins, tick the part your service works in."),
    )

    class Meta(OperatorContactForm.Meta):
        fields = ["name", "short_name", "institution", "kind", "territory", "is_active", *CONTACT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publics"].initial = self.instance.public_codes if self.instance.pk else []
        territories = list(Territory.objects.select_related("parent").prefetch_related("split_between"))
        self._territories = {t.pk: t for t in territories}
        self.fields["served"].choices = served_choices(territories)
        if self.instance.pk:
            self.fields["served"].initial = [
                f"{s.territory_id}:{s.bassin_id}" if s.bassin_id else str(s.territory_id)
                for s in self.instance.served.all()
            ]
        else:
            del self.fields["version"]

    def clean_served(self) -> list[tuple[Territory, Territory | None]]:
        """(territory, bassin of the part or None) pairs; one part per municipality."""
        pairs, seen = [], set()
        for value in self.cleaned_data["served"]:
            territory_id, _sep, bassin_id = value.partition(":")
            territory = self._territories[int(territory_id)]
            if territory.pk in seen:
                raise forms.ValidationError(
                    _("Choose one part of %(municipality)s.") % {"municipality": territory.name}
                )
            seen.add(territory.pk)
            pairs.append((territory, self._territories[int(bassin_id)] if bassin_id else None))
        return pairs

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the operator a name."))
        return name


class TerritoryFilterMixin:
    """The territory, bassin and municipality filters, filled from one query and
    cleaned to Territory rows (an unknown value makes the form invalid)."""

    def _territory_filters(self) -> None:
        territories = territory_choices()
        self._by_slug = {t.slug: t for t in territories}
        wide = [t for t in territories if t.kind not in (Territory.Kind.BASSIN, Territory.Kind.MUNICIPALITY)]
        self.fields["territory"].choices = [("", _("All territories")), *((t.slug, t.name) for t in wide)]
        self.fields["bassin"].choices = [
            ("", _("All bassins")),
            *((t.slug, t.name) for t in territories if t.kind == Territory.Kind.BASSIN),
        ]
        self.fields["municipality"].choices = [
            ("", _("All municipalities")),
            *((t.slug, t.name) for t in territories if t.kind == Territory.Kind.MUNICIPALITY),
        ]

    def clean(self):
        cleaned = super().clean()
        for name in ("territory", "bassin", "municipality"):
            cleaned[name] = self._by_slug.get(cleaned.get(name) or "")
        return cleaned


class DirectoryFilterForm(TerritoryFilterMixin, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Operator.Kind.choices], required=False)
    territory = forms.ChoiceField(label=_("Territory"), required=False)
    bassin = forms.ChoiceField(label=_("Bassin"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    public = forms.ChoiceField(
        label=_("Public served"), choices=[("", _("All publics")), *Public.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._territory_filters()


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)
