"""Forms of the decision and action registers and of closing an action."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Action
from ..selectors.access import register_series
from ..selectors.actions import register_operators
from ..services.actions import COMMENT_MAX


class DecisionFilterForm(forms.Form):
    """Filters of the decision register; an unknown value is a field error, never a 500."""

    series = forms.ModelChoiceField(
        label=pgettext_lazy("table column", "Series"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("All"),
    )
    operator = forms.ModelChoiceField(
        label=_("Operator"), queryset=None, required=False, to_field_name="slug", empty_label=_("All")
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = register_series(user)
        self.fields["operator"].queryset = register_operators(user)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-select"
            field.widget.attrs.setdefault("class", css)

    def filters(self) -> dict:
        """The valid filters (an invalid one is left out and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class ActionFilterForm(DecisionFilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *Action.Status.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ActionCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(Action.Status.DONE, _("Done")), (Action.Status.DROPPED, _("Dropped"))],
        widget=forms.RadioSelect,
        initial=Action.Status.DONE,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what was done, or why the action was dropped."),
    )
