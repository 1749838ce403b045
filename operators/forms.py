from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin, phone_validator

from .models import MembershipRole, Operator, Public, Territory

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


class OperatorForm(OperatorContactForm):
    """The whole operator record, for coordinators and admins."""

    publics = forms.MultipleChoiceField(
        label=_("Public served"), choices=Public.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(OperatorContactForm.Meta):
        fields = ["name", "short_name", "institution", "kind", "territory", "is_active", *CONTACT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publics"].initial = self.instance.public_codes if self.instance.pk else []
        if not self.instance.pk:
            del self.fields["version"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the operator a name."))
        return name


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Operator.Kind.choices], required=False)
    territory = forms.ModelChoiceField(
        label=_("Territory"), queryset=Territory.objects.all(), required=False, empty_label=_("All territories")
    )
    public = forms.ChoiceField(
        label=_("Public served"), choices=[("", _("All publics")), *Public.choices], required=False
    )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)
