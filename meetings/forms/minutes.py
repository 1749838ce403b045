"""Forms of the live session and of the minutes.

Choices are limited to this session (its items, the operators taking part and
their members): an id from elsewhere is a field error. The services decide
the rest; their errors go back on the fields with `add_service_errors`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import NoControlCharactersMixin
from operators.models import Operator

from ..models import Attendance, Minutes
from ..models.ritual import MAX_NOTES_LENGTH
from .sessions import EARLIEST, LATEST

MAX_THEMES_TEXT = 900


def _textarea(rows: int = 3, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


class OperatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class NotesForm(NoControlCharactersMixin, forms.Form):
    notes = forms.CharField(
        label=_("Notes"), required=False, strip=False, max_length=MAX_NOTES_LENGTH, widget=_textarea(6)
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class NextItemForm(forms.Form):
    current = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class AttendanceForm(forms.Form):
    operator = forms.IntegerField(min_value=1)
    user = forms.IntegerField(min_value=1, required=False)
    status = forms.ChoiceField(choices=[("", "—"), *Attendance.Status.choices], required=False)

    def __init__(self, operators, members, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._operators = {op.pk: op for op in operators}
        self._members = {(m.operator_id, m.user_id): m.user for m in members}

    def clean(self):
        cleaned = super().clean()
        operator = self._operators.get(cleaned.get("operator"))
        if operator is None:
            self.add_error("operator", _("This operator does not take part in this series."))
            return cleaned
        cleaned["operator"] = operator
        if cleaned.get("user") is not None:
            user = self._members.get((operator.pk, cleaned["user"]))
            if user is None:
                self.add_error("user", _("This person is not a member of this operator."))
            cleaned["user"] = user
        return cleaned


class DecisionForm(NoControlCharactersMixin, forms.Form):
    prefix = "decision"
    text = forms.CharField(label=_("Decision"), max_length=2000, widget=_textarea(2))
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=None, required=False)

    def __init__(self, session, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = session.agenda_items.order_by("position", "pk")


class ActionForm(NoControlCharactersMixin, forms.Form):
    prefix = "action"
    description = forms.CharField(label=_("Action"), max_length=1000, widget=_textarea(2))
    owner_operator = OperatorChoiceField(label=_("Owner operator"), queryset=None)
    owner_user = PersonChoiceField(
        label=_("Person in charge (optional)"), queryset=None, required=False, help_text=_("A member of that operator.")
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=None, required=False)

    def __init__(self, session, operators, members, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pairs = {(m.operator_id, m.user_id) for m in members}
        self.fields["owner_operator"].queryset = Operator.objects.filter(pk__in=[op.pk for op in operators]).order_by(
            "name"
        )
        self.fields["owner_user"].queryset = User.objects.filter(pk__in={m.user_id for m in members}).order_by(
            "name", "email"
        )
        self.fields["agenda_item"].queryset = session.agenda_items.order_by("position", "pk")

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due is not None and not (EARLIEST <= due <= LATEST):
            raise forms.ValidationError(_("Enter a date between 2000 and 2099."))
        return due

    def clean(self):
        cleaned = super().clean()
        operator, user = cleaned.get("owner_operator"), cleaned.get("owner_user")
        if operator is not None and user is not None and (operator.pk, user.pk) not in self._pairs:
            self.add_error("owner_user", _("This person is not a member of the owner operator."))
        return cleaned


class NeedForm(NoControlCharactersMixin, forms.Form):
    prefix = "need"
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False, widget=_textarea(2))
    raised_by = OperatorChoiceField(label=_("Raised by"), queryset=None)
    themes = forms.CharField(
        label=_("Themes"),
        max_length=MAX_THEMES_TEXT,
        required=False,
        help_text=_("Separated by commas, e.g. continuity of care, housing."),
    )

    def __init__(self, operators, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].queryset = Operator.objects.filter(pk__in=[op.pk for op in operators]).order_by("name")

    def clean_themes(self):
        return [name.strip() for name in self.cleaned_data["themes"].split(",") if name.strip()]


class MinutesForm(NoControlCharactersMixin, forms.Form):
    """The summary and the notes of every agenda item, with the versions they were loaded at."""

    summary = forms.CharField(
        label=_("General notes"), required=False, strip=False, max_length=MAX_NOTES_LENGTH, widget=_textarea(5)
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    revision = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"notes_{item.pk}"] = forms.CharField(
                label=item.title, required=False, strip=False, max_length=MAX_NOTES_LENGTH, widget=_textarea(6)
            )
            self.fields[f"version_{item.pk}"] = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    @staticmethod
    def initial_for(minutes: Minutes, items, revision: int | None) -> dict:
        initial = {"summary": minutes.summary, "version": minutes.version, "revision": revision}
        for item in items:
            initial[f"notes_{item.pk}"] = item.notes
            initial[f"version_{item.pk}"] = item.notes_version
        return initial

    def is_stale(self) -> bool:
        """Versions missing or wrong: the page was loaded on another agenda."""
        return any(field.errors for field in self.hidden_fields())

    def note_fields(self):
        return [(item, self[f"notes_{item.pk}"], self[f"version_{item.pk}"]) for item in self.items]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        notes = {item.pk: (data[f"notes_{item.pk}"], data[f"version_{item.pk}"]) for item in self.items}
        return {"summary": data["summary"], "version": data["version"], "notes": notes, "revision": data["revision"]}


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Minutes.Status.choices)
    version = forms.IntegerField(min_value=0)


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Compare version"), min_value=1)
    b = forms.IntegerField(label=_("with version"), min_value=1)
