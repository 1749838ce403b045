from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import audit_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AuditFilterForm(forms.Form):
    """Filters of the audit trail; an unknown value is a field error, never a 500."""

    person = forms.CharField(label=_("Person (name or email)"), max_length=150, required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("object_type", "action"):
            self.fields[name].choices = [("", _("All")), *((v, v) for v in audit_choices(name))]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        return cleaned


class AccountCloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is closed for good and cannot be restored."), required=True
    )


class PersonEraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Kept in the audit trail: the request and its date, never health data."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
