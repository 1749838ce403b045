from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin

from .models import StateNote


class StateNoteForm(NoControlCharactersMixin, forms.ModelForm):
    class Meta:
        model = StateNote
        fields = ["title", "body", "as_of", "source", "source_url"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8}), "as_of": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "as_of": _("The day the figures or the diagnosis describe."),
            "source": _("Where it comes from: a study, a census, a meeting (with its year)."),
        }
