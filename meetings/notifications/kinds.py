"""The codes and labels of the emails the meetings send, and the objects they are about."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Action, CharterReminder, JoinRequest, Minutes, Session, SlotPoll


class MeetingKind(models.TextChoices):
    SESSION_INVITATION = "session_invitation", _("Session scheduled or moved")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    SESSION_REMINDER = "session_reminder", _("Reminder before a session")
    INFO_ROUND_OPEN = "info_round_open", _("Info round open")
    INFO_ROUND_REMINDER = "info_round_reminder", _("Info round reminder")
    INFO_ROUND_LAST_CALL = "info_round_last_call", _("Info round last call")
    MINUTES_PUBLISHED = "minutes_published", _("Minutes published")
    ACTION_DUE = "action_due", _("Action due soon")
    ACTION_OVERDUE = "action_overdue", _("Action overdue")
    POLL_INVITATION = "poll_invitation", _("Slot poll")
    POLL_REMINDER = "poll_reminder", _("Slot poll reminder")
    POLL_RESULT = "poll_result", _("Slot poll result")
    JOIN_REQUEST_RECEIVED = "join_request_received", _("Join request received")
    JOIN_REQUEST_DECIDED = "join_request_decided", _("Join request decided")
    CHARTER_REMINDER = "charter_reminder", _("Charter to accept")


# What `Notification.object_type` says of the objects the meetings write about.
SESSION = Session._meta.label_lower
MINUTES = Minutes._meta.label_lower
ACTION = Action._meta.label_lower
POLL = SlotPoll._meta.label_lower
JOIN_REQUEST = JoinRequest._meta.label_lower
CHARTER_REMINDER = CharterReminder._meta.label_lower
