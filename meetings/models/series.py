"""Meeting series, their participants, the slot poll and the sessions.

Times: a session's start and end are stored in UTC; the series' recurrence is
a wall time in Europe/Brussels (a 13:30 meeting stays 13:30 across the clock
changes) and is turned into UTC instants by meetings.recurrence.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from operators.models import Operator


def _jitsi_room() -> str:
    return "carrefour-" + secrets.token_urlsafe(18).replace("_", "x").replace("-", "y")


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class Mode(models.TextChoices):
    VIDEO = "video", _("Videoconference")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: its participants only")
    NETWORK = "network", _("Visible to every signed-in person of the portal")
    PUBLIC = "public", _("Listed publicly, with a public page")


class Admission(models.TextChoices):
    INVITATION = "invitation", _("By invitation only")
    REQUEST = "request", _("On request: coordinators accept or decline")
    OPEN = "open", _("Open: registration is immediate")


# What a new series of each kind is, until its coordinators change it: a
# clinical group takes requests (its charter decides who gets in), thematic
# concertations and consultations are open to every professional, the crisis
# videoconference and working groups stay among their operators.
KIND_DEFAULTS = {
    "crisis_video": (Visibility.PRIVATE, Admission.INVITATION),
    "clinical": (Visibility.NETWORK, Admission.REQUEST),
    "thematic": (Visibility.PUBLIC, Admission.OPEN),
    "consultation": (Visibility.PUBLIC, Admission.OPEN),
    "working_group": (Visibility.PRIVATE, Admission.INVITATION),
}


class Series(models.Model):
    """A meeting series (the "dispositif"): who meets, when, how."""

    class Kind(models.TextChoices):
        CRISIS_VIDEOCONFERENCE = "crisis_video", _("Weekly crisis videoconference")
        CLINICAL = "clinical", _("Clinical concertation on complex situations")
        THEMATIC = "thematic", _("Thematic concertation")
        CONSULTATION = "consultation", _("Consultation")
        WORKING_GROUP = "working_group", _("Working group")

    class VideoProvider(models.TextChoices):
        JITSI = "jitsi", _("Jitsi Meet (room created by Carrefour)")
        EXTERNAL = "external", _("External link (Teams, Zoom, Webex…)")
        NONE = "none", _("No videoconference")

    class Recurrence(models.TextChoices):
        NONE = "none", _("No recurrence yet")
        WEEKLY = "weekly", _("Every week")
        EVERY_N_WEEKS = "every_n_weeks", _("Every few weeks")
        MONTHLY = "monthly", _("Monthly, on the nth weekday")
        EXPLICIT = "explicit", _("An explicit calendar of dates")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CRISIS_VIDEOCONFERENCE)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    organisations = models.ManyToManyField(
        Operator,
        verbose_name=_("coordinating organisations"),
        related_name="coordinated_series",
        blank=True,
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("coordinators"), related_name="coordinated_series"
    )
    territory = models.ForeignKey(
        "operators.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, null=True, blank=True
    )
    pilot_start = models.DateField(_("start of the period"), null=True, blank=True)
    pilot_end = models.DateField(_("end of the period"), null=True, blank=True)
    default_mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.VIDEO)
    default_venue = models.CharField(_("venue"), max_length=300, blank=True)
    default_duration = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    open_to_requests = models.BooleanField(
        _("open to other operators"),
        default=True,
        help_text=_("Referents of other operators may ask to join."),
    )
    # Who sees the series' public page, and how individual professionals get
    # in (registrations app); operators keep joining as before.
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    admission = models.CharField(
        _("admission of individual professionals"),
        max_length=10,
        choices=Admission.choices,
        default=Admission.INVITATION,
    )
    video_provider = models.CharField(
        _("videoconference"), max_length=16, choices=VideoProvider.choices, default=VideoProvider.JITSI
    )
    video_url = models.URLField(_("videoconference link"), max_length=500, blank=True)
    jitsi_room = models.CharField(max_length=64, default=_jitsi_room, unique=True, editable=False)
    # The recurrence, in Europe/Brussels wall time.
    recurrence = models.CharField(_("recurrence"), max_length=16, choices=Recurrence.choices, default=Recurrence.NONE)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    interval_weeks = models.PositiveSmallIntegerField(_("every … weeks"), default=1)
    month_week = models.SmallIntegerField(
        _("week of the month"), null=True, blank=True, help_text=_("1 to 4 for the first to fourth, -1 for the last.")
    )
    skip_holidays = models.BooleanField(_("skip Belgian public holidays"), default=True)
    # The info round of each session opens this many days before it, and an
    # entry submitted less than `info_round_deadline_hours` before the start is late.
    info_round_open_days = models.PositiveSmallIntegerField(_("info round opens (days before)"), default=3)
    info_round_deadline_hours = models.PositiveSmallIntegerField(_("info round deadline (hours before)"), default=24)
    # The reminder with the join link goes this many hours before each session.
    reminder_hours = models.PositiveSmallIntegerField(_("session reminder (hours before)"), default=24)
    # "Approval at the next session" (as boards do): published minutes stay
    # provisional, open to corrections, until the next session approves them.
    minutes_approved_at_next_session = models.BooleanField(
        _("minutes approved at the next session"),
        default=False,
        help_text=_(
            "Published minutes are provisional: participants may propose corrections until the next session, "
            "whose agenda gets an item to approve them."
        ),
    )
    # People registered to one session only (registrations) do not see the
    # session page: their registration's page shows the agenda's titles only
    # when the coordinators say so (a thematic concertation announces its
    # programme; a clinical group never shows what it will discuss).
    agenda_shown_to_registrants = models.BooleanField(
        _("show the agenda's titles to people registered to a session"),
        default=False,
        help_text=_("Only the titles of the items, on their registration's page and in their reminder."),
    )
    # Info-round emails and session reminders go only within these Brussels hours of a working day
    # (meetings.selectors.absences.OfficeHours).
    office_hours_start = models.TimeField(_("office hours from"), default=datetime.time(9, 0))
    office_hours_end = models.TimeField(_("office hours until"), default=datetime.time(17, 0))
    feed_token = models.CharField(max_length=64, default=_feed_token, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pilot_start__isnull=True)
                | Q(pilot_end__isnull=True)
                | Q(pilot_end__gte=models.F("pilot_start")),
                name="series_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(default_duration__gte=5) & Q(default_duration__lte=720), name="series_duration_range"
            ),
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1) & Q(interval_weeks__lte=52), name="series_interval_range"
            ),
            models.CheckConstraint(
                condition=Q(month_week__isnull=True) | Q(month_week__in=[-1, 1, 2, 3, 4]),
                name="series_month_week_valid",
            ),
            models.CheckConstraint(
                condition=Q(info_round_open_days__gte=1) & Q(info_round_open_days__lte=14),
                name="series_info_round_open_range",
            ),
            models.CheckConstraint(
                condition=Q(info_round_deadline_hours__lte=168), name="series_info_round_deadline_range"
            ),
            models.CheckConstraint(
                condition=Q(reminder_hours__gte=1) & Q(reminder_hours__lte=168), name="series_reminder_hours_range"
            ),
            models.CheckConstraint(condition=Q(visibility__in=Visibility.values), name="series_visibility_valid"),
            models.CheckConstraint(condition=Q(admission__in=Admission.values), name="series_admission_valid"),
            models.CheckConstraint(
                condition=Q(office_hours_end__gt=models.F("office_hours_start")),
                name="series_office_hours_ordered",
                violation_error_message=_("The office hours end after they begin."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def takes_registrations(self) -> bool:
        """Whether professionals may register themselves (from its public page)."""
        return self.visibility != Visibility.PRIVATE and self.admission != Admission.INVITATION


class Participation(models.Model):
    """An operator taking part in a series, from `since` until `until`."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="participations")
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="participations"
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    via_request = models.ForeignKey(
        "JoinRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["operator__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "operator"], condition=Q(until__isnull=True), name="participation_one_current"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="participation_period_ordered"
            ),
        ]
        indexes = [
            # Serves "the series this operator takes part in now" (dashboards, permissions).
            models.Index(
                fields=["operator", "series"], condition=Q(until__isnull=True), name="participation_current_idx"
            ),
        ]

    def __str__(self):
        return f"{self.operator_id} in {self.series_id}"


class JoinRequest(models.Model):
    """An operator asking to take part in a series."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="join_requests")
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="join_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("reply"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "operator"], condition=Q(status="pending"), name="join_request_one_pending"
            ),
        ]

    def __str__(self):
        return f"{self.operator_id} → {self.series_id} ({self.status})"


class SlotPoll(models.Model):
    """ "Décider du moment opportun": candidate weekly slots put to the operators."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message to the operators"), max_length=2000, blank=True)
    deadline = models.DateTimeField(_("answer by"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    chosen_slot = models.ForeignKey(
        "PollSlot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("slot poll")
        verbose_name_plural = _("slot polls")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class PollSlot(models.Model):
    """A candidate weekly slot: weekday, start time (Brussels), duration."""

    poll = models.ForeignKey(SlotPoll, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("start time"))
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"))

    class Meta:
        verbose_name = _("candidate slot")
        verbose_name_plural = _("candidate slots")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "weekday", "start_time", "duration"], name="poll_slot_unique"),
            models.CheckConstraint(
                condition=Q(duration__gte=5) & Q(duration__lte=720), name="poll_slot_duration_range"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="poll_slot_weekday_valid"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}"


class PollAnswer(models.Model):
    """One operator's answer to one slot (not one person's)."""

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        IF_NEED_BE = "if_need_be", _("If need be")
        NO = "no", _("No")

    slot = models.ForeignKey(PollSlot, on_delete=models.CASCADE, related_name="answers")
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="poll_answers")
    choice = models.CharField(_("answer"), max_length=12, choices=Choice.choices)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        constraints = [
            models.UniqueConstraint(fields=["slot", "operator"], name="poll_answer_one_per_operator"),
        ]

    def __str__(self):
        return f"{self.operator_id}: {self.choice}"


class CalendarDate(models.Model):
    """One date of an explicit calendar (rotating day, place and host)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="calendar_dates")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    host_operator = models.ForeignKey(
        Operator, verbose_name=_("host"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("calendar date")
        verbose_name_plural = _("calendar dates")
        ordering = ["date", "start_time"]
        constraints = [
            models.UniqueConstraint(fields=["series", "date", "start_time"], name="calendar_date_unique"),
            models.CheckConstraint(
                condition=Q(duration__gte=5) & Q(duration__lte=720), name="calendar_date_duration_range"
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.start_time:%H:%M}"


class Session(models.Model):
    """One meeting of a series, stored in UTC."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.VIDEO)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    video_url = models.URLField(
        _("videoconference link for this session"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty to use the series' link."),
    )
    host_operator = models.ForeignKey(
        Operator,
        verbose_name=_("host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_sessions",
    )
    holiday = models.CharField(_("public holiday"), max_length=100, blank=True)
    # Places for individual registrations (registrations app); empty: no limit.
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit; past it, a waiting list.")
    )
    # False for sessions the recurrence made and nobody touched since: only
    # those may be regenerated when the recurrence changes.
    is_customised = models.BooleanField(default=False, editable=False)
    is_extra = models.BooleanField(_("extra session"), default=False)
    # The Brussels date the recurrence generated this session for: a session
    # moved to another day still holds its slot, so regenerating does not
    # put a second session on the day it left.
    original_date = models.DateField(null=True, blank=True, editable=False)
    # The start before the latest move to another time, shown as "moved from …"
    # on the pages, in the calendar files and in the invitation.
    moved_from = models.DateTimeField(_("previous start"), null=True, blank=True, editable=False)
    # The agenda template version the session's agenda was copied from, and
    # whether coordinators changed that agenda since (then a new template
    # version no longer replaces it).
    agenda_template = models.ForeignKey(
        "AgendaTemplate", on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions", editable=False
    )
    agenda_customised = models.BooleanField(default=False, editable=False)
    # The item the meeting is on, while it runs live.
    current_item = models.ForeignKey(
        "AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # RFC 5545 SEQUENCE: incremented at every change calendars must follow.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1, capacity__lte=10000),
                name="session_capacity_range",
            ),
        ]
        indexes = [
            # Serves the upcoming/past session lists of a series and the feeds.
            models.Index(fields=["series", "starts_at"], name="session_series_start_idx"),
            # Serves the action and decision registers (actions_register,
            # decisions_register): a person's rows, newest sessions first, a
            # page at a time. Walking the sessions by start finds a page in a
            # few hundred rows, where sorting every row of the person's series
            # grew with the years (16 → 1.4 ms on twenty years of data).
            models.Index(fields=["-starts_at"], name="session_start_idx"),
        ]

    def __str__(self):
        return f"{self.series_id} @ {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int:
        """The session's length in whole minutes, from its start to its end."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def place(self) -> str:
        """Where it is held ('' by videoconference only): its venue, else the
        series' (read with its series: select_related)."""
        if self.mode == Mode.VIDEO:
            return ""
        return self.venue or self.series.default_venue


class CalendarFeed(models.Model):
    """A person's private calendar feed: the token in its URL is the only key."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, default=_feed_token, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"feed of {self.user_id}"
