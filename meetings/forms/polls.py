"""Forms of the slot poll: propose slots, answer them, close on one."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.brussels import BRUSSELS
from core.forms import NoControlCharactersMixin

from ..models import PollAnswer, PollSlot, Weekday
from ..selectors.polls import slot_label
from ..services.polls import MAX_DURATION, MAX_SLOTS, MESSAGE_MAX, MIN_DURATION, TITLE_MAX

SLOT_ROWS = 6


class PollForm(NoControlCharactersMixin, forms.Form):
    """The poll itself; its deadline is a date and a time in Brussels."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    message = forms.CharField(
        label=_("Message to the operators"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: the context of the poll (%(max)d characters at most).") % {"max": MESSAGE_MAX},
    )
    deadline_date = forms.DateField(
        label=_("Answer by (date)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    deadline_time = forms.TimeField(
        label=_("Answer by (time)"),
        initial=datetime.time(12, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Brussels time."),
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the poll a title."))
        return title

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("deadline_date"), cleaned.get("deadline_time")
        if day is None or time is None:
            return cleaned
        deadline = datetime.datetime.combine(day, time, tzinfo=BRUSSELS)
        now = timezone.now()
        if deadline <= now:
            self.add_error("deadline_date", _("The deadline to answer must be in the future."))
        elif deadline > now + datetime.timedelta(days=366):
            self.add_error("deadline_date", _("The deadline to answer must be within a year."))
        else:
            cleaned["deadline"] = deadline
        return cleaned


class SlotForm(forms.Form):
    """One candidate weekly slot, in Brussels wall time."""

    # Not required one by one (spare rows stay empty, without asterisks):
    # clean() asks for all three once a row is begun.
    weekday = forms.TypedChoiceField(
        label=_("Day"), coerce=int, empty_value=None, required=False, choices=[("", "—"), *Weekday.choices]
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Give a start time between 00:00 and 23:59.")},
    )
    duration = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=MIN_DURATION,
        max_value=MAX_DURATION,
        widget=forms.NumberInput(attrs={"step": 5}),
    )

    def __init__(self, *args, default_duration: int = 60, **kwargs):
        super().__init__(*args, **kwargs)
        # Counted as unchanged while only the default duration is filled in,
        # so that spare rows left empty are ignored.
        self.fields["duration"].initial = default_duration

    def clean(self):
        cleaned = super().clean()
        missing = {
            "weekday": _("Choose the day of this slot."),
            "start_time": _("Give the start time of this slot."),
            "duration": _("Give the duration of this slot."),
        }
        for name, error in missing.items():
            if cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, error)
        start, duration = cleaned.get("start_time"), cleaned.get("duration")
        if start is not None and duration is not None and start.hour * 60 + start.minute + duration > 24 * 60:
            self.add_error("duration", _("A meeting ends by midnight: choose an earlier start or a shorter duration."))
        return cleaned


class BaseSlotFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.has_changed():
                continue
            slot = self._slot(form)
            if slot in seen:
                form.add_error(None, _("This slot is already proposed above."))
                raise forms.ValidationError(_("The same slot is proposed twice."))
            seen.add(slot)
        if not seen:
            raise forms.ValidationError(_("Propose at least one slot."))

    @staticmethod
    def _slot(form) -> tuple[int, datetime.time, int]:
        data = form.cleaned_data
        return data["weekday"], data["start_time"].replace(second=0, microsecond=0), data["duration"]

    def slots(self) -> list[tuple[int, datetime.time, int]]:
        """(weekday, start time, duration) of the rows filled in, in order."""
        return [self._slot(form) for form in self.forms if form.has_changed()]


def slot_formset(data=None, *, rows: int = SLOT_ROWS, default_duration: int = 60) -> BaseSlotFormSet:
    """The rows of candidate slots; `rows` empty rows when unbound."""
    formset_class = forms.formset_factory(
        SlotForm,
        formset=BaseSlotFormSet,
        extra=max(1, min(rows, MAX_SLOTS)),
        max_num=MAX_SLOTS,
        absolute_max=MAX_SLOTS,
        validate_max=True,
    )
    return formset_class(data, prefix="slots", form_kwargs={"default_duration": default_duration})


class PollAnswerForm(forms.Form):
    """An operator's answers: one radio group per slot, yes / if need be / no."""

    operator = forms.TypedChoiceField(
        label=_("Answer for"),
        coerce=int,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("You can only answer for an operator you belong to.")},
    )

    def __init__(self, *args, slots: list[PollSlot], operators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = [(op.pk, op.name) for op in operators]
        for slot in slots:
            self.fields[f"slot_{slot.pk}"] = forms.ChoiceField(
                label=slot_label(slot), choices=PollAnswer.Choice.choices, required=False, widget=forms.RadioSelect
            )

    def clean(self):
        cleaned = super().clean()
        unknown = [k for k in self.data if k.startswith("slot_") and k not in self.fields]
        if unknown:
            raise forms.ValidationError(_("These answers name a slot that is not part of this poll."))
        if not self.answers():
            raise forms.ValidationError(_("Answer at least one slot."))
        return cleaned

    def answers(self) -> dict[int, str]:
        """{slot id: choice} for the slots answered."""
        return {
            int(name.removeprefix("slot_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("slot_") and value
        }


class PollCloseForm(forms.Form):
    slot = forms.ModelChoiceField(
        label=_("Chosen slot"),
        queryset=PollSlot.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of this poll's slots.")},
    )

    def __init__(self, *args, poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = PollSlot.objects.filter(poll=poll)
        self.fields["slot"].label_from_instance = slot_label
