"""The help desk of a bassin (seed 004): "un help desk spécifique par bassin afin
d'aider les travailleurs de terrain dans la prise en charge de situations
complexes, multifactorielles et intersectorielles".

A professional asks the help desk of a bassin for help with a situation; its
team triages it, one of them owns it, answers within a number of working days,
records the services contacted, and closes it with an outcome, possibly after
handing it over to a series (a cooperation need today, a clinical situation
later: `handed_to_*`). The situation's texts pass the anonymisation guard and
are purged a set time after closure; the counts stay. The state machine is
helpdesk.services.requests.request_transition.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from operators.models import Operator, Territory


class HelpDesk(models.Model):
    """A bassin's help desk and its settings."""

    bassin = models.OneToOneField(
        Territory,
        verbose_name=_("bassin"),
        on_delete=models.CASCADE,
        related_name="help_desk",
        limit_choices_to={"kind": Territory.Kind.BASSIN},
    )
    is_open = models.BooleanField(_("open to requests"), default=True)
    first_answer_days = models.PositiveSmallIntegerField(_("first answer within (working days)"), default=2)
    follow_up_days = models.PositiveSmallIntegerField(_("follow-up every (working days)"), default=5)
    chase_days = models.PositiveSmallIntegerField(_("the coordinator is told after (working days overdue)"), default=2)
    purge_months = models.PositiveSmallIntegerField(_("situation texts purged after closure (months)"), default=12)

    class Meta:
        verbose_name = _("help desk")
        verbose_name_plural = _("help desks")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_answer_days__gte=1) & Q(first_answer_days__lte=30), name="helpdesk_first_answer_range"
            ),
            models.CheckConstraint(
                condition=Q(follow_up_days__gte=1) & Q(follow_up_days__lte=60), name="helpdesk_follow_up_range"
            ),
            models.CheckConstraint(condition=Q(purge_months__gte=1), name="helpdesk_purge_positive"),
        ]

    def __str__(self):
        return f"help desk {self.bassin_id}"


class HelpDeskMember(models.Model):
    """A person of a bassin's help-desk team: sees and works its requests."""

    bassin = models.ForeignKey(
        Territory, verbose_name=_("bassin"), on_delete=models.CASCADE, related_name="help_desk_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="help_desk_roles"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("help-desk team member")
        verbose_name_plural = _("help-desk team members")
        ordering = ["bassin", "user__name"]
        constraints = [models.UniqueConstraint(fields=["bassin", "user"], name="helpdesk_member_unique")]

    def __str__(self):
        return f"{self.user_id} in help desk {self.bassin_id}"


class Sector(models.TextChoices):
    MENTAL_HEALTH = "mental_health", _("Mental health")
    HOUSING = "housing", _("Housing")
    JUSTICE = "justice", _("Justice")
    YOUTH = "youth", _("Youth")
    DISABILITY = "disability", _("Disability")
    ADDICTION = "addiction", _("Addiction")
    ELDERLY = "elderly", _("Elderly people")
    PRECARIOUSNESS = "precariousness", _("Precariousness")
    OTHER = "other", _("Other")


class NeedKind(models.TextChoices):
    ORIENTATION = "orientation", _("An orientation")
    CONTACT = "contact", _("A contact")
    CONCERTATION = "concertation", _("A concertation")
    ADVICE = "advice", _("Advice")


class Urgency(models.TextChoices):
    WEEKS = "weeks", _("Within a few weeks")
    DAYS = "days", _("Within a few days")
    SOON = "soon", _("As soon as possible")


class ContactPreference(models.TextChoices):
    EMAIL = "email", _("By email")
    PHONE = "phone", _("By phone")
    PORTAL = "portal", _("On this portal only")


class Status(models.TextChoices):
    NEW = "new", _("New")
    TRIAGE = "triage", _("In triage")
    ASSIGNED = "assigned", _("Assigned")
    WAITING_REQUESTER = "waiting_requester", _("Waiting for the requester")
    WAITING_SERVICE = "waiting_service", _("Waiting for a service")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [s for s in Status.values if s != Status.CLOSED]


class Outcome(models.TextChoices):
    ORIENTED = "oriented", _("Oriented")
    CONCERTATION = "concertation", _("Concertation organised")
    ADVICE = "advice", _("Advice given")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    NO_ANSWER = "no_answer", _("No answer")


class HandOver(models.TextChoices):
    NEED = "need", _("Cooperation need of a series")
    SITUATION = "situation", _("Proposed situation of a clinical concertation")


class Request(models.Model):
    """A request for help with a complex situation, from a professional to a bassin's help desk."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bassin = models.ForeignKey(
        Territory, verbose_name=_("bassin"), on_delete=models.PROTECT, related_name="help_desk_requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="help_desk_requests",
    )
    requester_operator = models.ForeignKey(
        Operator,
        verbose_name=_("your service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_desk_requests",
    )
    sectors = models.JSONField(_("sectors involved"), default=list)
    situation = models.TextField(_("the situation"), max_length=4000)
    tried = models.TextField(_("what has been tried"), max_length=2000, blank=True)
    services_involved = models.TextField(_("services already involved"), max_length=1000, blank=True)
    need = models.CharField(_("what you need"), max_length=16, choices=NeedKind.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.DAYS)
    contact_preference = models.CharField(
        _("how to reach you"), max_length=8, choices=ContactPreference.choices, default=ContactPreference.EMAIL
    )
    contact_phone = models.CharField(_("your phone number"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_desk_requests_owned",
    )
    first_answer_due = models.DateField(_("first answer due"))
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    # Where the request went: a generic target (kind, id, label, path), so that the
    # clinical situations can be a target without a foreign key from here.
    handed_to_kind = models.CharField(_("handed over to"), max_length=16, blank=True)
    handed_to_id = models.CharField(max_length=64, blank=True)
    handed_to_label = models.CharField(max_length=200, blank=True)
    handed_to_url = models.CharField(max_length=300, blank=True)
    handed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    purged_at = models.DateTimeField(_("texts purged"), null=True, blank=True)

    class Meta:
        verbose_name = _("help-desk request")
        verbose_name_plural = _("help-desk requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) & ~Q(outcome="")
                | ~Q(status="closed") & Q(closed_at__isnull=True, outcome=""),
                name="helpdesk_request_closed_with_outcome",
            ),
        ]
        indexes = [
            # Serves the queue: a bassin's requests by status.
            models.Index(fields=["bassin", "status"], name="helpdesk_request_queue_idx"),
            # Serves the purge: closed requests whose texts are still there.
            models.Index(fields=["closed_at"], condition=Q(purged_at__isnull=True), name="helpdesk_request_purge_idx"),
        ]

    def __str__(self):
        return f"request {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def due_on(self):
        """The date the next step is due: the first answer, then the follow-up (None when closed)."""
        if not self.is_open:
            return None
        return self.first_answer_due if self.first_answered_at is None else self.follow_up_on

    def is_overdue(self, today) -> bool:
        due = self.due_on
        return due is not None and today > due

    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [str(labels[s]) for s in self.sectors if s in labels]


class MessageKind(models.TextChoices):
    QUESTION = "question", _("Question to the requester")
    MESSAGE = "message", _("Message to the requester")
    ANSWER = "answer", _("Answer of the requester")
    NOTE = "note", _("Internal note")


class RequestMessage(models.Model):
    """A message between the requester and the team, or an internal note (team only)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("help-desk message")
        verbose_name_plural = _("help-desk messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.kind} on {self.request_id}"

    @property
    def is_internal(self) -> bool:
        return self.kind == MessageKind.NOTE


class ContactResult(models.TextChoices):
    AGREED = "agreed", _("Reached: takes it on")
    ADVISED = "advised", _("Reached: gave advice")
    DECLINED = "declined", _("Reached: cannot take it on")
    REDIRECTED = "redirected", _("Redirected elsewhere")
    NO_ANSWER = "no_answer", _("No answer yet")


class ContactMade(models.Model):
    """A service the team contacted about the request, and with what result."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="contacts")
    operator = models.ForeignKey(
        Operator, verbose_name=_("service contacted"), on_delete=models.CASCADE, related_name="help_desk_contacts"
    )
    result = models.CharField(_("result"), max_length=12, choices=ContactResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact made")
        verbose_name_plural = _("contacts made")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.request_id} → {self.operator_id}"


EVENT_LABELS = {
    "submitted": _("submitted"),
    "status": _("status changed"),
    "take": _("taken"),
    "assign": _("assigned"),
    "question": _("question asked"),
    "message": _("message sent"),
    "answer": _("answered"),
    "close": _("closed"),
    "contact": _("contact recorded"),
    "hand_over": _("handed over"),
}


class RequestEvent(models.Model):
    """One step of a request's history: who did what, when (never any text)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} on {self.request_id}"

    @property
    def action_label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))

    @property
    def to_status_label(self) -> str:
        return str(dict(Status.choices).get(self.to_status, ""))


class RequestAccess(models.Model):
    """The access log: who opened or exported a request, when."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request access")
        verbose_name_plural = _("request accesses")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["request", "at"], name="helpdesk_access_request_idx")]

    def __str__(self):
        return f"{self.user_id} read {self.request_id}"
