from django import forms
from django.utils.translation import gettext_lazy as _

from anonymisation.guard import check
from clinical import models as clinical_models
from core.forms import NoControlCharactersMixin, phone_validator
from meetings.models import Series
from operators.models import Operator

from .models import ContactPreference, ContactResult, MessageKind, NeedKind, Outcome, Sector, Status, Urgency

GUARDED = ("situation", "tried", "services_involved")


class RequestForm(NoControlCharactersMixin, forms.Form):
    """A request to a bassin's help desk; the service checks the texts with the guard."""

    sectors = forms.MultipleChoiceField(
        label=_("Sectors involved"), choices=Sector.choices, widget=forms.CheckboxSelectMultiple
    )
    situation = forms.CharField(
        label=_("The situation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Describe the situation without anything that identifies the person: no name, national "
            "register number, date of birth, address, phone number or email address."
        ),
    )
    tried = forms.CharField(
        label=_("What has been tried"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    services_involved = forms.CharField(
        label=_("Services already involved"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    need = forms.ChoiceField(label=_("What you need"), choices=NeedKind.choices, widget=forms.RadioSelect)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.DAYS, widget=forms.RadioSelect
    )
    requester_operator = forms.ModelChoiceField(
        label=_("Your service"), queryset=Operator.objects.none(), required=False
    )
    contact_preference = forms.ChoiceField(
        label=_("How to reach you"),
        choices=ContactPreference.choices,
        initial=ContactPreference.EMAIL,
        widget=forms.RadioSelect,
    )
    contact_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        required=False,
        validators=[phone_validator],
        help_text=_("Yours, to call you back: it is not checked like the situation."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester_operator"].queryset = Operator.objects.filter(memberships__user=user).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact_preference") == ContactPreference.PHONE and not cleaned.get("contact_phone"):
            self.add_error("contact_phone", _("Give your phone number to be called back."))
        return cleaned

    def highlights(self) -> dict[str, list[tuple[str, bool]]]:
        """The typed texts the guard refused, cut into (passage, flagged) pieces to show them marked."""
        marked = {}
        for name in GUARDED:
            text = self.data.get(name) or ""
            findings = check(text)
            if not findings:
                continue
            pieces, at = [], 0
            for finding in findings:
                pieces += [(text[at : finding.start], False), (text[finding.start : finding.end], True)]
                at = finding.end
            pieces.append((text[at:], False))
            marked[name] = [(piece, flagged) for piece, flagged in pieces if piece]
        return marked


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class AssignForm(VersionForm):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team


class StatusForm(VersionForm):
    to = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (s, label) for s, label in Status.choices if s in (Status.TRIAGE, Status.WAITING_SERVICE, Status.ASSIGNED)
        ],
    )


class CloseForm(VersionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)


class MessageForm(NoControlCharactersMixin, VersionForm):
    kind = forms.ChoiceField(
        label=_("What you write"),
        choices=[(k, label) for k, label in MessageKind.choices if k != MessageKind.ANSWER],
        initial=MessageKind.QUESTION,
    )
    body = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(NoControlCharactersMixin, forms.Form):
    body = forms.CharField(label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class ContactForm(NoControlCharactersMixin, forms.Form):
    operator = forms.ModelChoiceField(
        label=_("Service contacted"), queryset=Operator.objects.filter(is_active=True).order_by("name")
    )
    result = forms.ChoiceField(label=_("Result"), choices=ContactResult.choices)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class HandOverForm(NoControlCharactersMixin, VersionForm):
    series = forms.ModelChoiceField(label=_("Series"), queryset=Series.objects.none())
    operator = forms.ModelChoiceField(label=_("Raised by your service"), queryset=Operator.objects.none())
    title = forms.CharField(label=_("Title of the cooperation need"), max_length=200)
    requester_agreed = forms.BooleanField(label=_("The requester agrees to the hand-over"), required=False)

    def __init__(self, *args, series, operators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series
        self.fields["operator"].queryset = operators


class HandOverSituationForm(NoControlCharactersMixin, VersionForm):
    """The request as a proposed situation of a clinical concertation (prefilled from the request)."""

    series = forms.ModelChoiceField(
        label=_("Clinical concertation"),
        queryset=Series.objects.none(),
        help_text=_("The clinical concertations whose charter you accepted."),
        error_messages={
            "invalid_choice": _(
                "You may not propose a situation to this series: choose a clinical concertation "
                "whose charter you accepted."
            )
        },
    )
    age_range = forms.ChoiceField(label=_("Age range"), choices=clinical_models.AgeRange.choices)
    life_context = forms.CharField(
        label=_("Life context"),
        max_length=clinical_models.MAX_CONTEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Anonymised: no name, national number, birth date, address, phone or email. “Mme X.” is fine."),
    )
    services_other = forms.CharField(
        label=_("Other services involved"), max_length=clinical_models.MAX_SERVICES_OTHER, required=False
    )
    tried = forms.CharField(
        label=_("What has been tried"), max_length=clinical_models.MAX_TRIED, widget=forms.Textarea(attrs={"rows": 4})
    )
    question = forms.CharField(
        label=_("The question to the group"),
        max_length=clinical_models.MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requester_agreed = forms.BooleanField(label=_("The requester agrees to the hand-over"), required=False)

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person"))


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Open")), *Status.choices], required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        people = [(str(m.user_id), m.user.name) for m in team]
        self.fields["owner"].choices = [("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody yet")), *people]
