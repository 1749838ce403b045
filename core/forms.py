from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9 ./()-]{6,30}$",
    _("Enter a phone number: digits, spaces and + / . - ( ) only."),
)


class NoControlCharactersMixin:
    """Refuse text with control characters (other than line breaks and tabs)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and any(ord(c) < 32 and c not in "\n\r\t" for c in value):
                self.add_error(name, _("This text contains invisible control characters."))
        return cleaned


def typed_texts(form) -> list[tuple[str, str]]:
    """The texts a person typed in a bound form, valid or not, with their
    labels: what a submission refused after the fact gives back, read-only,
    so that nothing typed is lost (templates/partials/refused_text.html)."""
    texts = []
    for bound in form.visible_fields():
        value = bound.data
        if isinstance(bound.field, forms.CharField) and isinstance(value, str) and value.strip():
            texts.append((str(bound.label), value))
    return texts
