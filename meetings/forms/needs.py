"""Forms of the cooperation needs: raise, endorse, close, and the board's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedModelMultipleChoiceField
from operators.models import Operator

from ..models import NeedStage
from ..selectors.needs import board_themes, need_raising_operators
from ..services.needs import COMMENT_MAX, DESCRIPTION_MAX, MAX_THEMES, REASON_MAX, THEME_MAX, TITLE_MAX
from .actions import DecisionFilterForm


class NeedFilterForm(DecisionFilterForm):
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=None, required=False, to_field_name="slug", empty_label=_("All")
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["theme"].queryset = board_themes(user)
        self.fields["theme"].widget.attrs["class"] = "form-select"


class NeedRaiseForm(forms.Form):
    operator = forms.ModelChoiceField(label=_("Raised by"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would need from the other operators. No names or clinical details."),
    )
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        max_length=(THEME_MAX + 2) * MAX_THEMES,
        help_text=_("Separated by commas, e.g. housing, continuity of care."),
    )
    operators_concerned = BoundedModelMultipleChoiceField(
        label=_("Operators concerned"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, user, series, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = need_raising_operators(user, series)
        self.fields["operators_concerned"].queryset = Operator.objects.filter(
            participations__series=series, participations__until__isnull=True
        ).order_by("name")

    def clean_themes(self) -> list[str]:
        names = [" ".join(n.split()) for n in self.cleaned_data["themes"].split(",")]
        names = [n for n in names if n]
        if any(len(n) > THEME_MAX for n in names):
            raise forms.ValidationError(_("A theme has at most %(max)d characters.") % {"max": THEME_MAX})
        if len(names) > MAX_THEMES:
            raise forms.ValidationError(_("At most %(max)d themes.") % {"max": MAX_THEMES})
        return names


class NeedEndorseForm(forms.Form):
    operator = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)
    comment = forms.CharField(label=_("Comment"), max_length=COMMENT_MAX, required=False)

    def __init__(self, operators, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = Operator.objects.filter(pk__in=[op.pk for op in operators])


class NeedCloseForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(NeedStage.CLOSED, NeedStage.CLOSED.label), (NeedStage.DROPPED, NeedStage.DROPPED.label)],
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False)
