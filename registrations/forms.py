"""The registration forms: a signed-in person's, and the sign-up of a
professional without an account (allauth's sign-up form with the same
fields, a honeypot and the series' questions), and the coordinators' forms."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin
from meetings.models import Series, Session
from operators.models import Operator

from .models import ParticipantAttendance, Question
from .services import registration_signup_create

# The honeypot: a field people never see (hidden by the stylesheet, out of
# the tab order, labelled "leave empty" for screen readers) and bots fill in.
HONEYPOT = "website"


def _question_fields(series: Series) -> dict[str, forms.Field]:
    return {
        f"question_{q.pk}": forms.CharField(
            label=q.text, required=q.required, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
        )
        for q in Question.objects.filter(series=series)
    }


class _RegistrationFields(NoControlCharactersMixin, forms.Form):
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("The service or institution you work for."),
    )
    profession = forms.CharField(label=_("Profession"), max_length=150, help_text=_("E.g. social worker, nurse."))

    def add_questions(self, series: Series) -> None:
        self.fields.update(_question_fields(series))

    def answers(self) -> dict[int, str]:
        return {
            int(name.removeprefix("question_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("question_")
        }


class RegistrationForm(_RegistrationFields):
    """A signed-in person registers: their organisation (one of theirs in the directory, or typed)."""

    operator = forms.ModelChoiceField(
        label=_("Your organisation in the directory"),
        queryset=Operator.objects.none(),
        required=False,
        empty_label=_("Another organisation (type its name below)"),
    )
    field_order = ["operator", "organisation_name", "profession"]

    def __init__(self, *args, user, series: Series, **kwargs):
        super().__init__(*args, **kwargs)
        operators = Operator.objects.filter(memberships__user=user, is_active=True).order_by("name")
        if operators.exists():
            self.fields["operator"].queryset = operators
        else:
            del self.fields["operator"]
        self.add_questions(series)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("operator") and not (cleaned.get("organisation_name") or "").strip():
            self.add_error("organisation_name", _("Say which organisation you work for."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "operator": data.get("operator"),
            "organisation_name": data["organisation_name"],
            "profession": data["profession"],
            "answers": self.answers(),
        }


class RegistrationSignupForm(NoControlCharactersMixin, SignupForm):
    """allauth's sign-up form, for a registration: the account is created
    and the registration waits for the email address to be verified."""

    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("First name and last name."))
    organisation_name = forms.CharField(
        label=_("Organisation"), max_length=200, help_text=_("The service or institution you work for.")
    )
    profession = forms.CharField(label=_("Profession"), max_length=150, help_text=_("E.g. social worker, nurse."))
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    field_order = ["name", "email", "password1", "organisation_name", "profession"]

    def __init__(self, *args, series: Series, session: Session | None, **kwargs):
        self.series, self.session = series, session
        super().__init__(*args, **kwargs)
        self.fields.update(_question_fields(series))
        self.fields[HONEYPOT] = self.fields.pop(HONEYPOT)  # last

    def try_save(self, request):
        """A filled honeypot gets the answer everybody gets, and nothing is made."""
        if self.cleaned_data.get(HONEYPOT):
            return None, get_adapter().respond_email_verification_sent(request, None)
        return super().try_save(request)

    def custom_signup(self, request, user) -> None:
        user.name = self.cleaned_data["name"].strip()
        user.language = getattr(request, "LANGUAGE_CODE", "") or user.language
        user.save(update_fields=["name", "language"])
        registration_signup_create(
            user=user,
            series=self.series,
            session=self.session,
            organisation_name=self.cleaned_data["organisation_name"],
            profession=self.cleaned_data["profession"],
            answers={
                int(k.removeprefix("question_")): v for k, v in self.cleaned_data.items() if k.startswith("question_")
            },
        )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Leave empty for no limit; past it, a waiting list."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class LinkOperatorForm(forms.Form):
    operator = forms.ModelChoiceField(
        label=_("Directory entry"),
        queryset=Operator.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("None (keep the name as typed)"),
    )


class QuestionForm(NoControlCharactersMixin, forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300, help_text=_("E.g. “Vos attentes”."))
    required = forms.BooleanField(label=_("Answer required"), required=False)


class AttendanceForm(forms.Form):
    """One choice per person registered: present, excused, absent or not recorded."""

    def __init__(self, *args, people: list, initial_statuses: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Not recorded")), *ParticipantAttendance.Status.choices]
        for registration in people:
            self.fields[f"person_{registration.user_id}"] = forms.ChoiceField(
                label=registration.user.name,
                choices=choices,
                required=False,
                initial=initial_statuses.get(registration.user_id, ""),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def statuses(self) -> dict[int, str]:
        return {int(k.removeprefix("person_")): v for k, v in self.cleaned_data.items()}


class LiveAttendanceForm(forms.Form):
    """One person's attendance, chosen on the session's live page (saved at each change)."""

    user = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=[("", _("Not recorded")), *ParticipantAttendance.Status.choices], required=False)
