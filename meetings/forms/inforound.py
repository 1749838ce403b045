"""The form of an operator's info-round entry: one field per question of the
session's info round (a text, a choice, a number), and for a capacity signal
its three levels and the figures its question asks for."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin

from ..models import AnswerType, CapacityStatus
from ..models.capacity import MAX_NUMBER, MAX_PLACES, MAX_WAITING_DAYS
from ..models.ritual import MAX_ANSWER_LENGTH
from ..services.inforound import answer_field, normalise_answer

ACTIONS = ("draft", "submit", "nothing_new")


class AnswerField(forms.CharField):
    """Counts a line break as one character, as the browser does when typing."""

    def to_python(self, value):
        return normalise_answer(super().to_python(value))


class InfoRoundEntryForm(NoControlCharactersMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Which button was pressed (not rendered as a field).
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], required=False, widget=forms.HiddenInput)

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            label = question.prompt
            if question.required:
                label = _("%(question)s (required to submit)") % {"question": question.prompt}
            if question.answer_type != AnswerType.TEXT:
                self._add_structured(question, label)
                continue
            limit = question.max_length
            field = AnswerField(
                label=label,
                required=False,
                help_text=question.help_text,
                widget=forms.Textarea(
                    attrs={"rows": 3, "maxlength": limit, "data-counter": limit, "class": "inforound-answer"}
                ),
            )
            # The service checks each question's limit (with its message);
            # this bound only keeps hostile input from going further.
            field.validators.append(MaxLengthValidator(MAX_ANSWER_LENGTH * 5))
            field.question = question
            self.fields[answer_field(question.pk)] = field

    def _add_structured(self, question, label):
        name = answer_field(question.pk)
        if question.answer_type == AnswerType.CAPACITY:
            field = forms.ChoiceField(
                label=label,
                choices=CapacityStatus.choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "capacity-choice"}),
                help_text=question.help_text,
            )
        elif question.answer_type == AnswerType.CHOICE:
            field = forms.ChoiceField(
                label=label,
                choices=[(option, option) for option in question.option_list],
                required=False,
                widget=forms.RadioSelect,
                help_text=question.help_text,
            )
        else:
            field = forms.IntegerField(
                label=label, required=False, min_value=-MAX_NUMBER, max_value=MAX_NUMBER, help_text=question.help_text
            )
        field.question = question
        self.fields[name] = field
        if question.answer_type == AnswerType.CAPACITY and question.asks_waiting_days:
            self.fields[f"{name}_waiting"] = forms.IntegerField(
                label=_("Waiting time (days)"), required=False, min_value=0, max_value=MAX_WAITING_DAYS
            )
        if question.answer_type == AnswerType.CAPACITY and question.asks_places:
            self.fields[f"{name}_places"] = forms.IntegerField(
                label=_("Places available"), required=False, min_value=0, max_value=MAX_PLACES
            )

    def clean_action(self):
        return self.cleaned_data.get("action") or "draft"

    def _value(self, question):
        name = answer_field(question.pk)
        value = self.cleaned_data.get(name)
        if question.answer_type == AnswerType.CAPACITY:
            return {
                "capacity": value or "",
                "waiting_days": self.cleaned_data.get(f"{name}_waiting"),
                "places": self.cleaned_data.get(f"{name}_places"),
            }
        if question.answer_type == AnswerType.NUMBER:
            return value
        return value or ""

    def answers(self) -> dict:
        """{question id: value}, as the service takes them (services.inforound._answer_values)."""
        return {q.pk: self._value(q) for q in self.questions}

    def answer_fields(self):
        """Every field but the version and the action, in the questions' order."""
        return [self[name] for name in self.fields if name not in ("version", "action")]


def initial_for(entry, answers: dict, questions) -> dict:
    """The form's initial data from the saved answers ({question id: InfoRoundAnswer})."""
    data = {"version": entry.version if entry else 0}
    for q in questions:
        answer, name = answers.get(q.pk), answer_field(q.pk)
        if answer is None:
            continue
        if q.answer_type == AnswerType.CAPACITY:
            data |= {name: answer.capacity, f"{name}_waiting": answer.waiting_days, f"{name}_places": answer.places}
        elif q.answer_type == AnswerType.NUMBER:
            data[name] = answer.number
        else:
            data[name] = answer.text
    return data
