from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin
from operators.models import MembershipRole, Operator

from .models import Language, User
from .selectors import invitable_operators


class ProfileForm(NoControlCharactersMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name


class InvitationForm(NoControlCharactersMixin, forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=Language.choices, initial="fr")
    operator = forms.ModelChoiceField(label=_("Operator"), queryset=Operator.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)
    as_coordinator = forms.BooleanField(
        label=_("Coordinator"),
        required=False,
        help_text=_("Coordinators create meeting series and may edit the directory."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["operator"].queryset = invitable_operators(actor).filter(is_active=True).order_by("name")
        if not actor.has_perm("accounts.invite_coordinator"):
            del self.fields["as_coordinator"]
        else:
            self.fields["operator"].help_text = _("Leave empty to invite a coordinator who belongs to no operator.")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if not self.actor.is_superuser and email == self.actor.email.lower():
            raise forms.ValidationError(_("You cannot add yourself to a team: ask one of its referents."))
        return email

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("operator") and not cleaned.get("as_coordinator") and "operator" not in self.errors:
            self.add_error("operator", _("Choose the operator the person will join."))
        return cleaned


class InvitationAcceptForm(NoControlCharactersMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        if not self.is_bound:
            self.initial.update({"name": invitation.name, "language": invitation.language})

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            probe = User(email=self.invitation.email, name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
