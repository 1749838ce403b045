from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin

from ..models.charter import MAX_CHARTER_LENGTH
from .series import JoinRequestForm


class CharterDraftForm(NoControlCharactersMixin, forms.Form):
    """The coordinators' draft: saved, previewed or published from one form."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_CHARTER_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Markdown: a blank line between paragraphs, **bold**, *italics*, lines starting with “- ” for a list, "
            "“## ” for a heading."
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    action = forms.ChoiceField(
        choices=[("save", "save"), ("preview", "preview"), ("publish", "publish")], widget=forms.HiddenInput
    )


class CharterRequirementForm(forms.Form):
    required = forms.BooleanField(label=_("Accepting the charter is required to take part"), required=False)


class CharterAcceptFieldsMixin(NoControlCharactersMixin):
    """Accepting a charter: the person says so and signs with their name."""

    def add_charter_fields(self, user) -> None:
        self.fields["agree"] = forms.BooleanField(
            label=_("I have read this charter and I undertake to respect it."),
            error_messages={"required": _("Tick the box to accept the charter.")},
        )
        self.fields["signed_name"] = forms.CharField(
            label=_("Your name, as a signature"), max_length=150, initial=user.name
        )


class CharterAcceptForm(CharterAcceptFieldsMixin, forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_charter_fields(user)


class JoinRequestCharterForm(CharterAcceptFieldsMixin, JoinRequestForm):
    """A join request to a series whose charter is required: the referent accepts it as they ask."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_charter_fields(user)
