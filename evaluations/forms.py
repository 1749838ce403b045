"""Forms of the evaluation. They validate shapes and lengths; the services
decide the rest, and their errors go back on the fields."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin

from .models import MAX_COMMENT_LENGTH, MAX_SECTION_LENGTH, MAX_TEXT_ANSWER_LENGTH, Evaluation, ExportJob, Question

MAX_OPTIONS_TEXT = 2000


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeadlineForm(forms.Form):
    answer_deadline = forms.DateField(
        label=_("Answers expected by"),
        widget=_date_input(),
        help_text=_("The operators can answer until the end of that day, and until the report is being written."),
    )

    def clean_answer_deadline(self):
        day = self.cleaned_data["answer_deadline"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        if day > timezone.localdate() + datetime.timedelta(days=365):
            raise forms.ValidationError(_("Choose a day within a year."))
        return day

    @property
    def deadline(self) -> datetime.datetime:
        """The end of the chosen day, in Brussels."""
        day = self.cleaned_data["answer_deadline"]
        return datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))


class QuestionForm(NoControlCharactersMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    prompt = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Help text"), max_length=500, required=False)
    options = forms.CharField(
        label=_("Options, one per line"),
        help_text=_("A scale: the five labels of 1 to 5. A choice: 2 to 12 options. Free text: leave empty."),
        max_length=MAX_OPTIONS_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {
            "kind": question.kind,
            "prompt": question.prompt,
            "help_text": question.help_text,
            "options": "\n".join(question.options),
            "required": question.required,
        }

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["options"] = data["options"].splitlines()
        return data


def response_field(question: Question) -> forms.Field:
    """The field of one question of the questionnaire."""
    common = {"label": question.prompt, "help_text": question.help_text, "required": False}
    if question.kind == Question.Kind.SCALE:
        labels = list(question.options) + [""] * (5 - len(question.options))
        choices = [(i, f"{i} – {labels[i - 1]}" if labels[i - 1] else str(i)) for i in range(1, 6)]
        return forms.TypedChoiceField(choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect, **common)
    if question.kind == Question.Kind.SINGLE:
        choices = list(enumerate(question.options))
        return forms.TypedChoiceField(choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect, **common)
    if question.kind == Question.Kind.MULTIPLE:
        return forms.TypedMultipleChoiceField(
            choices=list(enumerate(question.options)), coerce=int, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(
        max_length=MAX_TEXT_ANSWER_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), strip=True, **common
    )


class ResponseForm(NoControlCharactersMixin, forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, questions: list[Question], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q_{question.pk}"] = response_field(question)
            self.fields[f"q_{question.pk}"].question = question

    @classmethod
    def initial_for(cls, response, answers) -> dict:
        initial = {"version": response.version if response else 0}
        for question_id, answer in answers.items():
            kind = answer.question.kind
            if kind == Question.Kind.SCALE:
                initial[f"q_{question_id}"] = answer.scale
            elif kind == Question.Kind.SINGLE:
                initial[f"q_{question_id}"] = answer.selected[0] if answer.selected else None
            elif kind == Question.Kind.MULTIPLE:
                initial[f"q_{question_id}"] = answer.selected
            else:
                initial[f"q_{question_id}"] = answer.text
        return initial

    def question_fields(self):
        return [self[f"q_{q.pk}"] for q in self.questions]

    def values(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q_{q.pk}") for q in self.questions}


class SectionForm(NoControlCharactersMixin, forms.Form):
    body = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        max_length=MAX_SECTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class CommentForm(NoControlCharactersMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=MAX_COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Evaluation.Status.choices)


class ApprovalForm(forms.Form):
    operator = forms.IntegerField(min_value=1)
    withdraw = forms.BooleanField(required=False)


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=ExportJob.Format.choices)


class MoveForm(forms.Form):
    up = forms.BooleanField(required=False)
