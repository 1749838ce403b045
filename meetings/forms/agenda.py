"""Forms of the agenda template (items, questions, publishing) and of one session's agenda.

They check the shape of the input; the services in meetings/services/agenda.py
decide the rest, and their errors go back on the fields with add_service_errors.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin

from ..models import AgendaItemKind, AnswerType, InfoRoundQuestion, PresenterRole, Series
from ..models.capacity import MAX_OPTIONS_LENGTH
from ..selectors.sessions import host_candidates
from ..services.agenda import MAX_ANSWER_LIMIT, MAX_TIMEBOX, MIN_ANSWER_LIMIT, MIN_TIMEBOX


class AgendaItemForm(NoControlCharactersMixin, forms.Form):
    """An item of a template version (title, kind, timebox, presenter role)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    # The approval of the minutes is added by Carrefour, never chosen.
    kind = forms.ChoiceField(
        label=_("Kind of item"),
        choices=[c for c in AgendaItemKind.choices if c[0] != AgendaItemKind.MINUTES_APPROVAL],
        initial=AgendaItemKind.OTHER,
    )
    timebox = forms.IntegerField(
        label=_("Timebox (minutes)"),
        min_value=MIN_TIMEBOX,
        max_value=MAX_TIMEBOX,
        help_text=_("From 1 to 240 minutes."),
    )
    presenter_role = forms.ChoiceField(label=_("Presented by"), choices=PresenterRole.choices, required=False)

    @classmethod
    def initial_for(cls, item) -> dict:
        return {"title": item.title, "kind": item.kind, "timebox": item.timebox, "presenter_role": item.presenter_role}

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "kind", "timebox", "presenter_role")}


class SessionAgendaItemForm(AgendaItemForm):
    """An item of one session's agenda: it may name the operator presenting it."""

    presenter_operator = forms.ModelChoiceField(
        label=_("Presenting operator"), queryset=None, required=False, empty_label=_("Nobody in particular")
    )

    def __init__(self, series: Series, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this series' operators: another id is "not a valid choice".
        self.fields["presenter_operator"].queryset = host_candidates(series)

    @classmethod
    def initial_for(cls, item) -> dict:
        return super().initial_for(item) | {"presenter_operator": item.presenter_operator_id}

    def service_kwargs(self) -> dict:
        return super().service_kwargs() | {"presenter_operator": self.cleaned_data["presenter_operator"]}


class QuestionForm(NoControlCharactersMixin, forms.Form):
    """A question of the info round of a template version."""

    prompt = forms.CharField(label=_("Question"), max_length=200)
    help_text = forms.CharField(
        label=_("Help text"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=_("Kind of question"), choices=InfoRoundQuestion.Kind.choices, initial=InfoRoundQuestion.Kind.OTHER
    )
    max_length = forms.IntegerField(
        label=_("Length limit (characters)"),
        min_value=MIN_ANSWER_LIMIT,
        max_value=MAX_ANSWER_LIMIT,
        initial=500,
        help_text=_("From 50 to 2000 characters: brevity is the point."),
    )
    required = forms.BooleanField(label=_("An answer is required to submit"), required=False)
    answer_type = forms.ChoiceField(
        label=_("Kind of answer"),
        choices=AnswerType.choices,
        initial=AnswerType.TEXT,
        required=False,
        help_text=_(
            "A capacity signal asks each operator: available, under strain or saturated, "
            "and the figures chosen below; the capacity board follows them week by week."
        ),
    )
    options = forms.CharField(
        label=_("Options, one per line (for a choice)"),
        max_length=MAX_OPTIONS_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    asks_waiting_days = forms.BooleanField(label=_("Capacity signal: ask the waiting time in days"), required=False)
    asks_places = forms.BooleanField(label=_("Capacity signal: ask the places available"), required=False)

    FIELDS = (
        "prompt",
        "help_text",
        "kind",
        "max_length",
        "required",
        "answer_type",
        "options",
        "asks_waiting_days",
        "asks_places",
    )

    @classmethod
    def initial_for(cls, question) -> dict:
        return {name: getattr(question, name) for name in cls.FIELDS}

    def clean_answer_type(self):
        return self.cleaned_data["answer_type"] or AnswerType.TEXT

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class PublishForm(NoControlCharactersMixin, forms.Form):
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The operators read it in the history of the versions."),
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
