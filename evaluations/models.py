"""The end-of-pilot evaluation of a series: a questionnaire each operator
answers once, a report co-written section by section by the coordinators and
the operators' referents, the operators' approvals, and the exports.

The state machine (collecting → drafting → final) and every write live in
evaluations.services; these classes hold the data and its invariants.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Series
from operators.models import Operator

MAX_SECTION_LENGTH = 30000
MAX_TEXT_ANSWER_LENGTH = 4000
MAX_COMMENT_LENGTH = 2000


class Evaluation(models.Model):
    """One version of the evaluation of a series. At most one version is not
    final at a time; a final version never changes again."""

    class Status(models.TextChoices):
        COLLECTING = "collecting", _("Collecting answers")
        DRAFTING = "drafting", _("Drafting the report")
        FINAL = "final", _("Final")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="evaluations")
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.COLLECTING)
    answer_deadline = models.DateTimeField(_("answers expected by"))
    # Raised by every save of a section: an approval names the text it approved.
    report_version = models.PositiveIntegerField(default=0, editable=False)
    # What the exports of a final version show, frozen when it was finalised.
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    drafting_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["series", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="evaluation_version_unique"),
            models.UniqueConstraint(
                fields=["series"], condition=~Q(status="final"), name="evaluation_one_open_per_series"
            ),
            models.CheckConstraint(
                condition=~Q(status="final") | Q(finalised_at__isnull=False), name="evaluation_finalised_at"
            ),
        ]

    def __str__(self):
        return f"evaluation v{self.version} of {self.series_id}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale from 1 to 5")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    prompt = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    # The labels of 1 to 5 for a scale, the options of a choice; empty for free text.
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["evaluation", "position", "pk"]

    def __str__(self):
        return self.prompt


class Response(models.Model):
    """One operator's answers to the questionnaire (not one person's)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="responses")
    operator = models.ForeignKey(Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: two referents of one operator never overwrite each other unseen.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        ordering = ["evaluation", "operator__name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "operator"], name="evaluation_response_one_per_operator"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="evaluation_response_submitted_at"
            ),
        ]

    def __str__(self):
        return f"{self.operator_id} on {self.evaluation_id} ({self.status})"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    # Indexes into the question's options (one for a single choice).
    selected = models.JSONField(default=list, blank=True)
    text = models.TextField(max_length=MAX_TEXT_ANSWER_LENGTH, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="evaluation_answer_one_per_question"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | (Q(scale__gte=1) & Q(scale__lte=5)), name="evaluation_answer_scale"
            ),
        ]

    def __str__(self):
        return f"{self.response_id}/{self.question_id}"


class ReportSection(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=MAX_SECTION_LENGTH, blank=True)
    # Optimistic locking: a save names the version it was made on.
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        ordering = ["evaluation", "position", "pk"]

    def __str__(self):
        return self.title


class SectionRevision(models.Model):
    """Who wrote what: every saved text of a section."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(max_length=MAX_SECTION_LENGTH, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("section version")
        verbose_name_plural = _("section versions")
        ordering = ["section", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="evaluation_section_revision_unique"),
        ]

    def __str__(self):
        return f"{self.section_id} v{self.number}"


class SectionComment(models.Model):
    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"), max_length=MAX_COMMENT_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["section", "created_at", "pk"]

    def __str__(self):
        return f"comment {self.pk} on {self.section_id}"


class Approval(models.Model):
    """ "Nous validons": an operator approves the report as it stood."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="approvals")
    operator = models.ForeignKey(Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)
    # The evaluation's report_version approved: a later edit makes the approval stale.
    report_version = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["evaluation", "operator__name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "operator"], name="evaluation_approval_one_per_operator"),
        ]

    def __str__(self):
        return f"{self.operator_id} approves {self.evaluation_id}"


class ExportJob(models.Model):
    """One export asked for: the log of who exported what and when, and the
    file while it lasts (removed after EXPORT_LIFETIME)."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        XLSX = "xlsx", "XLSX"
        CSV = "csv", _("CSV (zip)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Removed")

    class Failure(models.TextChoices):
        """Why a job failed, in words for the person who asked (the detail is in `error`)."""

        BUILD = "build", _("The document could not be built.")
        STORAGE = "storage", _("The file could not be saved: the server's exports folder cannot be written.")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="evaluation-exports/", blank=True, max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(_("reason for the failure"), max_length=16, choices=Failure.choices, blank=True)
    # The technical cause, for administrators (the admin's export log).
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="evaluation_export_progress_range"),
        ]
        indexes = [
            # Serves the purge: "finished exports whose file has expired".
            models.Index(fields=["expires_at"], condition=Q(status="done"), name="evaluation_export_expiry_idx"),
        ]

    def __str__(self):
        return f"{self.format} export of {self.evaluation_id} ({self.status})"
