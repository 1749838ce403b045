"""The forms of clinical situations. Every text goes through the anonymisation
guard: a flagged text is refused with its passages named next to the field
and shown highlighted; the author may instead tick `ask_confirmation` to hold
the text for the carrier group (services.pending_hold)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anonymisation.guard import Finding, check
from anonymisation.validators import guard_text
from core.brussels import brussels_datetime_label
from core.forms import BoundedModelMultipleChoiceField
from operators.models import Operator

from . import models as m

MAX_VERSION = 2**31 - 1


def highlighted(text: str, findings: list[Finding]) -> list[tuple[str, bool]]:
    """The text cut into (piece, flagged) pieces, for showing the flagged passages marked."""
    pieces, at = [], 0
    for finding in findings:
        if finding.start > at:
            pieces.append((text[at : finding.start], False))
        pieces.append((finding.passage(text), True))
        at = finding.end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def _session_label(session) -> str:
    return brussels_datetime_label(session.starts_at)


class GuardedForm(forms.Form):
    """A form whose `guarded` fields pass the guard, unless the author asks the carrier group."""

    guarded: tuple[str, ...] = ()
    allows_confirmation = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.flagged: list[tuple] = []
        if self.allows_confirmation:
            self.fields["ask_confirmation"] = forms.BooleanField(
                label=_("The guard is mistaken: ask the carrier group to confirm my text as it is"),
                help_text=_("Your text is then kept aside, not in the situation, until a coordinator confirms it."),
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        asked = cleaned.get("ask_confirmation", False)
        for name in self.guarded:
            text = cleaned.get(name) or ""
            findings = check(text)
            if not findings:
                continue
            self.flagged.append((self[name], highlighted(text, findings), [f.message for f in findings]))
            if not asked:
                try:
                    guard_text(text)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    @property
    def held(self) -> bool:
        """Whether the valid form is to be held for the carrier group (flagged, and asked)."""
        return bool(self.flagged) and bool(self.cleaned_data.get("ask_confirmation"))

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("ask_confirmation", "version")}


def _text(label, max_length, help_text="", rows=4, required=True):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class SituationForm(GuardedForm):
    guarded = ("life_context", "services_other", "tried", "question")

    age_range = forms.ChoiceField(label=_("Age range"), choices=m.AgeRange.choices)
    life_context = _text(
        _("Life context"),
        m.MAX_CONTEXT,
        _("Anonymised: no name, national number, birth date, address, phone or email. “Mme X.” is fine."),
        rows=6,
    )
    services = BoundedModelMultipleChoiceField(
        label=_("Services involved (from the directory)"), queryset=Operator.objects.none(), required=False
    )
    services_other = forms.CharField(
        label=_("Other services involved"), max_length=m.MAX_SERVICES_OTHER, required=False
    )
    tried = _text(_("What has been tried"), m.MAX_TRIED, rows=5)
    question = _text(_("The question to the group"), m.MAX_QUESTION, rows=3)
    preferred_session = forms.ModelChoiceField(
        label=_("Preferred meeting"), queryset=m.Session.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_VERSION)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = Operator.objects.order_by("name")
        self.fields["preferred_session"].queryset = sessions
        self.fields["preferred_session"].label_from_instance = _session_label
        self.order_fields(["age_range", "life_context", "services", "services_other", "tried", "question"])


class ReworkForm(GuardedForm):
    guarded = ("message",)
    allows_confirmation = False

    message = _text(
        _("What to rework"), m.MAX_MESSAGE, _("Sent to the author on the situation's page, never by email.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)


class ChooseForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Meeting"), queryset=m.Session.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = _session_label


class RecommendationForm(GuardedForm):
    guarded = ("text",)

    text = _text(
        _("Avenue or recommendation raised by the group"),
        m.MAX_RECOMMENDATION,
        _("The group is non-decisional: note avenues and recommendations, not decisions."),
    )


class FollowUpForm(GuardedForm):
    guarded = ("text",)

    text = _text(_("Brief follow-up"), m.MAX_FOLLOW_UP, _("What happened since the situation was presented."))
    closes = forms.BooleanField(label=_("Close the situation (no more follow-up expected)"), required=False)


class ClinicalSettingsForm(forms.Form):
    situations_per_session = forms.IntegerField(label=_("Situations per meeting"), min_value=1, max_value=6)
    retention_months = forms.IntegerField(
        label=_("Texts kept (months after the last follow-up)"), min_value=1, max_value=60
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)


class MeetingOwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Task owner of this meeting"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, carriers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = carriers
        self.fields["owner"].label_from_instance = lambda person: person.name
