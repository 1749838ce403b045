"""The structured answers of the info round: the kinds of answer a question
may take, and the three levels of an operator's capacity signal ("météo").

A capacity signal is always shown with its word and its icon beside its
colour (templates/meetings/_capacity_badge.html), never by colour alone.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Bounds of the figures an operator may give (a typo, not a waiting list, beyond).
MAX_WAITING_DAYS = 3650
MAX_PLACES = 10000
MAX_NUMBER = 1_000_000
MAX_OPTIONS_LENGTH = 1000


class AnswerType(models.TextChoices):
    TEXT = "text", _("Free text")
    CAPACITY = "capacity", _("Capacity signal")
    CHOICE = "choice", _("Choice among options")
    NUMBER = "number", _("Number")


class CapacityStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    STRAINED = "strained", _("Under strain")
    SATURATED = "saturated", _("Saturated")
