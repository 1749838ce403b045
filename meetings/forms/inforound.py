"""The form of an operator's info-round entry: one field per question of the session's info round."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin

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
            limit = question.max_length
            label = question.prompt
            if question.required:
                label = _("%(question)s (required to submit)") % {"question": question.prompt}
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

    def clean_action(self):
        return self.cleaned_data.get("action") or "draft"

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(answer_field(q.pk), "") for q in self.questions}

    def answer_fields(self):
        return [self[answer_field(q.pk)] for q in self.questions]


def initial_for(entry, texts: dict[int, str], questions) -> dict:
    data = {"version": entry.version if entry else 0}
    for q in questions:
        data[answer_field(q.pk)] = texts.get(q.pk, "")
    return data
