from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import BoundedModelMultipleChoiceField, NoControlCharactersMixin
from operators.models import Operator

from ..models import Admission, JoinRequest, Series, Visibility


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SeriesForm(NoControlCharactersMixin, forms.ModelForm):
    coordinators = BoundedModelMultipleChoiceField(
        label=_("Coordinators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You coordinate the series you create."),
    )
    organisations = BoundedModelMultipleChoiceField(
        label=_("Coordinating organisations"),
        queryset=Operator.objects.filter(kind=Operator.Kind.NETWORK, is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Series
        fields = [
            "name",
            "kind",
            "description",
            "territory",
            "pilot_start",
            "pilot_end",
            "default_mode",
            "default_duration",
            "default_venue",
            "video_provider",
            "video_url",
            "open_to_requests",
            "visibility",
            "admission",
            "skip_holidays",
            "info_round_open_days",
            "info_round_deadline_hours",
            "reminder_hours",
            "office_hours_start",
            "office_hours_end",
            "minutes_approved_at_next_session",
            "agenda_shown_to_registrants",
        ]
        widgets = {
            "pilot_start": DateInput(),
            "pilot_end": DateInput(),
            "office_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "office_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "pilot_start": _("Optional. No session is ever scheduled outside the period."),
            "default_duration": _("Between 5 and 720 minutes."),
            "video_url": _("Only for an external link: Teams, Zoom, Webex…"),
            "info_round_open_days": _("From 1 to 14 days before each session; operators get an email then."),
            "info_round_deadline_hours": _("An entry submitted later than this before the session is marked late."),
            "reminder_hours": _("The reminder with the agenda and the join link (1 to 168 hours)."),
            "visibility": _("A public page shows the description, the territory and the next dates; never names."),
            "admission": _("How professionals take part in their own name; operators join as before."),
            "office_hours_end": _(
                "Info-round emails and session reminders go only between these hours (Brussels time) on working days, "
                "never at night, on weekends, public holidays or the series' closed periods."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinators"].queryset = User.objects.filter(
            is_active=True, groups__name="coordinators"
        ).order_by("name") | User.objects.filter(pk__in=self.instance.coordinators.all() if self.instance.pk else [])
        self.fields["coordinators"].queryset = self.fields["coordinators"].queryset.distinct().order_by("name")
        self.fields["description"].max_length = 5000
        self.fields["default_duration"].validators += [MinValueValidator(5), MaxValueValidator(720)]
        self.fields["info_round_open_days"].validators += [MinValueValidator(1), MaxValueValidator(14)]
        self.fields["info_round_deadline_hours"].validators += [MaxValueValidator(168)]
        self.fields["reminder_hours"].validators += [MinValueValidator(1), MaxValueValidator(168)]
        # Office hours left empty keep their current value (9:00–17:00 for a new series).
        for name in ("office_hours_start", "office_hours_end"):
            self.fields[name].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["coordinators"] = list(self.instance.coordinators.all())
            self.initial["organisations"] = list(self.instance.organisations.all())

    def clean_office_hours_start(self):
        return self.cleaned_data["office_hours_start"] or self.instance.office_hours_start

    def clean_office_hours_end(self):
        return self.cleaned_data["office_hours_end"] or self.instance.office_hours_end

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the series a name."))
        return name

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("pilot_start"), cleaned.get("pilot_end")
        if start and end and end < start:
            self.add_error("pilot_end", _("The period must end after it starts."))
        open_days, deadline = cleaned.get("info_round_open_days"), cleaned.get("info_round_deadline_hours")
        if open_days and deadline is not None and deadline >= open_days * 24:
            self.add_error("info_round_deadline_hours", _("The deadline must fall after the info round opens."))
        if cleaned.get("video_provider") == Series.VideoProvider.EXTERNAL and not cleaned.get("video_url"):
            self.add_error("video_url", _("Paste the link of the videoconference."))
        return cleaned


class SeriesCreateForm(SeriesForm):
    # Left empty, the kind decides (meetings.models.KIND_DEFAULTS): clinical
    # on request, thematic and consultation open and public, the others private.
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=[("", _("According to the kind"))] + Visibility.choices,
        required=False,
        help_text=_("Left as it is, the kind decides: a thematic concertation or a consultation is public."),
    )
    admission = forms.ChoiceField(
        label=_("Admission of individual professionals"),
        choices=[("", _("According to the kind"))] + Admission.choices,
        required=False,
        help_text=_("Left as it is, the kind decides: open, on request for a clinical group, else by invitation."),
    )
    operators = BoundedModelMultipleChoiceField(
        label=_("Participating operators"),
        queryset=Operator.objects.filter(is_active=True).exclude(kind=Operator.Kind.NETWORK).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You can add or remove operators later."),
    )


class ParticipationAddForm(forms.Form):
    operator = forms.ModelChoiceField(label=_("Operator"), queryset=Operator.objects.none())
    since = forms.DateField(label=_("Takes part since"), widget=DateInput(), required=False)

    def __init__(self, *args, series: Series, **kwargs):
        super().__init__(*args, **kwargs)
        current = series.participations.filter(until__isnull=True).values("operator_id")
        self.fields["operator"].queryset = (
            Operator.objects.filter(is_active=True).exclude(pk__in=current).order_by("name")
        )


class JoinRequestForm(NoControlCharactersMixin, forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["operator", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"message": _("Why your operator wishes to take part (1000 characters at most).")}

    def __init__(self, *args, operators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators
        self.fields["operator"].empty_label = None
        self.fields["message"].max_length = 1000


class JoinRequestDecisionForm(NoControlCharactersMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.RadioSelect
    )
    reply = forms.CharField(
        label=_("Reply to the operator"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
