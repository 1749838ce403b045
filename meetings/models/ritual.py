"""The ritual of a session: its agenda (from a versioned template), the info
round each operator fills before it, and what the meeting records: attendance,
minutes (notes per agenda item, versioned), decisions and actions.

The rules that move these objects live in meetings.services (agenda.py,
inforound.py, minutes.py, actions.py); these classes only hold the data and
its invariants.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from operators.models import Operator

from .capacity import MAX_OPTIONS_LENGTH, AnswerType, CapacityStatus
from .series import Series, Session

MAX_ANSWER_LENGTH = 2000
MAX_NOTES_LENGTH = 20000


class AgendaItemKind(models.TextChoices):
    OPENING = "opening", _("Opening")
    INFO_ROUND = "info_round", _("Info round")
    ACTIONS = "actions", _("Follow-up of actions")
    NEEDS = "needs", _("Cooperation needs")
    CLINICAL = "clinical", _("Clinical situations")
    OTHER_BUSINESS = "other_business", _("Any other business")
    CLOSING = "closing", _("Closing")
    OTHER = "other", _("Other")
    # Added by Carrefour to the next session of a series whose minutes are
    # approved at the next session (services/corrections.py), never by a template.
    MINUTES_APPROVAL = "minutes_approval", _("Approval of the minutes")


class PresenterRole(models.TextChoices):
    NONE = "", _("Nobody in particular")
    COORDINATOR = "coordinator", _("The coordinator")
    HOST = "host", _("The host operator")
    EACH_OPERATOR = "each_operator", _("Each operator in turn")
    CONCERNED = "concerned", _("The operators concerned")


class AgendaTemplate(models.Model):
    """One version of a series' "conduite de réunion": its agenda items and
    info-round questions. At most one draft per series is being prepared; a
    published version applies to the sessions to come."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="agenda_templates")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda template")
        verbose_name_plural = _("agenda templates")
        ordering = ["series", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="agenda_template_version_unique"),
            models.UniqueConstraint(fields=["series"], condition=Q(status="draft"), name="agenda_template_one_draft"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="agenda_template_published_at"
            ),
        ]

    def __str__(self):
        return f"v{self.version}"


class AgendaTemplateItem(models.Model):
    template = models.ForeignKey(AgendaTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.OTHER)
    timebox = models.PositiveSmallIntegerField(_("timebox (minutes)"))
    presenter_role = models.CharField(_("presented by"), max_length=20, choices=PresenterRole.choices, blank=True)

    class Meta:
        verbose_name = _("agenda template item")
        verbose_name_plural = _("agenda template items")
        ordering = ["template", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(timebox__gte=1) & Q(timebox__lte=240), name="agenda_template_item_timebox_range"
            ),
        ]

    def __str__(self):
        return self.title


class InfoRoundQuestion(models.Model):
    """A question of the info round, versioned with the agenda template."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News of the service")
        CAPACITY = "capacity", _("Capacity, availability and delays")
        DIFFICULTIES = "difficulties", _("Difficulties met")
        NEEDS = "needs", _("Cooperation needs")
        TO_SHARE = "to_share", _("Information to share")
        OTHER = "other", _("Other")

    template = models.ForeignKey(AgendaTemplate, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    prompt = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    max_length = models.PositiveSmallIntegerField(_("length limit (characters)"), default=500)
    required = models.BooleanField(_("required"), default=False)
    # The structured answers (models/capacity.py): a capacity signal with the
    # figures the series asks for, one option among `options` (one per line),
    # or a number. Free text otherwise.
    answer_type = models.CharField(_("answer"), max_length=12, choices=AnswerType.choices, default=AnswerType.TEXT)
    options = models.TextField(_("options (one per line)"), max_length=MAX_OPTIONS_LENGTH, blank=True)
    asks_waiting_days = models.BooleanField(_("ask the waiting time (days)"), default=False)
    asks_places = models.BooleanField(_("ask the places available"), default=False)

    class Meta:
        verbose_name = _("info-round question")
        verbose_name_plural = _("info-round questions")
        ordering = ["template", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_length__gte=50) & Q(max_length__lte=MAX_ANSWER_LENGTH),
                name="info_round_question_length_range",
            ),
        ]

    def __str__(self):
        return self.prompt

    @property
    def option_list(self) -> list[str]:
        """The options of a choice, one per line of `options`."""
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class AgendaItem(models.Model):
    """An item of one session's agenda; its notes are that item's minutes."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.OTHER)
    timebox = models.PositiveSmallIntegerField(_("timebox (minutes)"))
    presenter_role = models.CharField(_("presented by"), max_length=20, choices=PresenterRole.choices, blank=True)
    presenter_operator = models.ForeignKey(
        Operator, verbose_name=_("presenter"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), max_length=MAX_NOTES_LENGTH, blank=True)
    # Optimistic locking of the notes: a save names the version it was made on.
    notes_version = models.PositiveIntegerField(default=0, editable=False)
    notes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    notes_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The live timer: when the meeting started and left this item.
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    # For an item of kind MINUTES_APPROVAL: the provisional minutes it approves.
    minutes_to_approve = models.ForeignKey(
        "Minutes", on_delete=models.CASCADE, null=True, blank=True, related_name="approval_items", editable=False
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(timebox__gte=1) & Q(timebox__lte=240), name="agenda_item_timebox_range"),
        ]

    def __str__(self):
        return self.title


class InfoRoundEntry(models.Model):
    """One operator's info round for one session (not one person's)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="info_round_entries")
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="info_round_entries")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    nothing_new = models.BooleanField(_("nothing new this week"), default=False)
    is_late = models.BooleanField(_("late"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    # Optimistic locking: a save names the version it was made on.
    version = models.PositiveIntegerField(default=1, editable=False)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("info-round entry")
        verbose_name_plural = _("info-round entries")
        ordering = ["session", "operator__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "operator"], name="info_round_entry_one_per_operator"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="info_round_entry_submitted_at"
            ),
        ]
        indexes = [
            # Serves the evaluation's completion and punctuality per operator.
            models.Index(fields=["operator", "status"], name="info_round_operator_status_idx"),
        ]

    def __str__(self):
        return f"{self.operator_id} for {self.session_id} ({self.status})"


class InfoRoundAnswer(models.Model):
    entry = models.ForeignKey(InfoRoundEntry, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(InfoRoundQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), max_length=MAX_ANSWER_LENGTH, blank=True)
    # A capacity signal and its figures, or a number (the question's answer_type says which).
    capacity = models.CharField(_("capacity"), max_length=12, choices=CapacityStatus.choices, blank=True)
    waiting_days = models.PositiveSmallIntegerField(_("waiting time (days)"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("places available"), null=True, blank=True)
    number = models.IntegerField(_("number"), null=True, blank=True)

    class Meta:
        verbose_name = _("info-round answer")
        verbose_name_plural = _("info-round answers")
        ordering = ["entry", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "question"], name="info_round_answer_one_per_question"),
        ]
        indexes = [
            # Serves the capacity board: the signals given to a question (of a series' versions).
            models.Index(fields=["question"], condition=~Q(capacity=""), name="info_round_capacity_idx"),
        ]

    def __str__(self):
        return f"{self.entry_id}/{self.question_id}"


class Attendance(models.Model):
    """Who attended a session: one row per operator (user empty) and per person."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    operator = models.ForeignKey(Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "operator__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "operator"], condition=Q(user__isnull=True), name="attendance_one_per_operator"
            ),
            models.UniqueConstraint(
                fields=["session", "operator", "user"],
                condition=Q(user__isnull=False),
                name="attendance_one_per_person",
            ),
        ]
        indexes = [
            # Serves the evaluation's attendance rate per operator.
            models.Index(fields=["operator", "session"], name="attendance_operator_idx"),
        ]

    def __str__(self):
        return f"{self.operator_id}/{self.user_id}: {self.status}"


class Minutes(models.Model):
    """The minutes of a session: draft → approved → published.

    The notes themselves are on the session's agenda items; `summary` holds
    what belongs to no item. Every save is kept as a MinutesRevision.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("general notes"), max_length=MAX_NOTES_LENGTH, blank=True)
    # Optimistic locking of the summary and of the state.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Published but not approved yet: the series approves minutes at its next
    # session, `approved_in` (approved_by and approved_at say who and when).
    provisional = models.BooleanField(_("provisional"), default=False)
    approved_in = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="minutes_published_at"
            ),
        ]
        indexes = [
            # Serves "latest published minutes" on the dashboards and the digest.
            models.Index(fields=["status", "-published_at"], name="minutes_published_idx"),
        ]

    def __str__(self):
        return f"minutes of {self.session_id}"


class MinutesRevision(models.Model):
    """A kept version of the minutes: a snapshot of the notes and records."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Minutes.Status.choices)
    content = models.JSONField(default=dict)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        ordering = ["minutes", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_revision_number_unique"),
        ]

    def __str__(self):
        return f"{self.minutes_id} v{self.number}"


class MinutesCorrection(models.Model):
    """A correction a participant proposes to provisional minutes, on one of
    their agenda items (or on the minutes as a whole); accepted or declined
    when the next session approves them."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="corrections")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
    )
    text = models.TextField(_("correction"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("correction of the minutes")
        verbose_name_plural = _("corrections of the minutes")
        ordering = ["minutes", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_at__isnull=False), name="minutes_correction_decided_at"
            ),
        ]

    def __str__(self):
        return f"correction {self.pk} of {self.minutes_id}"


class Decision(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="decisions")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    text = models.TextField(_("decision"), max_length=2000)
    need = models.ForeignKey(
        "CooperationNeed",
        verbose_name=_("cooperation need"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Serves the decisions register filtered by series, newest first.
            models.Index(fields=["series", "-created_at"], name="decision_series_idx"),
        ]

    def __str__(self):
        return f"decision {self.pk}"


class Action(models.Model):
    """An action item, carried onto every following session until closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="actions")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.TextField(_("action"), max_length=1000)
    owner_operator = models.ForeignKey(
        Operator, verbose_name=_("owner operator"), on_delete=models.PROTECT, related_name="actions"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    need = models.ForeignKey(
        "CooperationNeed",
        verbose_name=_("cooperation need"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_at__isnull=True))
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="action_closed_at_iff_closed",
            ),
        ]
        indexes = [
            # Serves the follow-up item of each session: the open actions of a series.
            models.Index(fields=["series", "due_date"], condition=Q(status="open"), name="action_open_series_idx"),
            # Serves the dashboards and the register: an operator's actions by status.
            models.Index(fields=["owner_operator", "status", "due_date"], name="action_owner_status_idx"),
        ]

    def __str__(self):
        return f"action {self.pk}"
