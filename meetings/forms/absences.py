from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import user_coordinated_operator_ids, user_operator_roles
from core.forms import NoControlCharactersMixin
from operators.models import Operator

from ..models import Series, SeriesClosure
from .series import DateInput

MYSELF = "me"


class AbsenceForm(forms.Form):
    """Who is away (the person or one of the operators they speak for), when, and who stands in."""

    who = forms.ChoiceField(label=_("Who is away"))
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until (included)"), widget=DateInput())
    substitute = forms.ModelChoiceField(
        label=_("Substitute"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody: the info-round emails wait for the return"),
        help_text=_("A member of the same operator, who receives the info-round emails in the meantime."),
    )

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        operator_ids = set(user_operator_roles(user)) | user_coordinated_operator_ids(user)
        self.operators = {op.pk: op for op in Operator.objects.filter(pk__in=operator_ids).order_by("name")}
        self.user = user
        self.fields["who"].choices = [(MYSELF, _("Myself"))] + [
            (str(pk), _("The operator %(name)s") % {"name": op.name}) for pk, op in self.operators.items()
        ]
        self.fields["substitute"].queryset = (
            User.objects.filter(is_active=True, memberships__operator_id__in=operator_ids).distinct().order_by("name")
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", ValidationError(_("The end comes before the start.")))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        who = data["who"]
        return {
            "operator": None if who == MYSELF else self.operators[int(who)],
            "user": self.user if who == MYSELF else None,
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "substitute": data["substitute"],
        }


class AbsenceWithdrawForm(forms.Form):
    absence = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, absences, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the absences the person sees: another id is "not a valid choice".
        self.fields["absence"].queryset = absences


class ClosureForm(NoControlCharactersMixin, forms.ModelForm):
    class Meta:
        model = SeriesClosure
        fields = ["starts_on", "ends_on", "label"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        labels = {"label": _("Name (e.g. Christmas week)")}


class ClosureRemoveForm(forms.Form):
    closure = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, series: Series, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closure"].queryset = SeriesClosure.objects.filter(series=series)
