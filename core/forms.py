from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
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


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids beyond the database's integers.

    Django looks the chosen ids up with `pk__in`, which SQLite cannot even
    send with a number past 64 bits (OverflowError): such an id is refused as
    any unknown one, before the query.
    """

    def clean(self, value):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple):
            low, high = connections[self.queryset.db].ops.integer_field_range(key.get_internal_type())
            for pk in value:
                if str(pk).lstrip("-").isdigit() and not low <= int(pk) <= high:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super().clean(value)
