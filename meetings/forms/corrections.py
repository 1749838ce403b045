from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharactersMixin

from ..models import AgendaItem, MinutesCorrection
from ..services.corrections import MAX_CORRECTION_LENGTH


class CorrectionForm(NoControlCharactersMixin, forms.Form):
    """A correction to provisional minutes, on one of their items or on the whole."""

    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("The minutes as a whole"),
    )
    text = forms.CharField(
        label=_("Correction you propose"),
        max_length=MAX_CORRECTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The coordinators see it and submit it to the next session, which accepts or declines it."),
    )

    def __init__(self, session, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this session's items: another id is "not a valid choice".
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(session=session).order_by("position", "pk")


class ApprovalForm(forms.Form):
    """Accept or decline each correction proposed, to approve the minutes."""

    def __init__(self, corrections: list[MinutesCorrection], *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (MinutesCorrection.Status.ACCEPTED, _("Accept")),
            (MinutesCorrection.Status.DECLINED, _("Decline")),
        ]
        for c in corrections:
            if c.status == MinutesCorrection.Status.PROPOSED:
                field = forms.ChoiceField(label=c.text, choices=choices, widget=forms.RadioSelect)
                field.correction = c
                self.fields[f"correction_{c.pk}"] = field

    def decisions(self) -> dict[int, str]:
        return {f.correction.pk: self.cleaned_data[name] for name, f in self.fields.items()}
