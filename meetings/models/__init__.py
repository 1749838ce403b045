"""The meetings app's models: series and sessions (series.py), the ritual
of each session (ritual.py: agenda, info round, minutes, decisions, actions),
the cooperation needs tracked across sessions (needs.py), the series'
confidentiality charter (charter.py), and absences and closed periods that
chasing respects (absences.py)."""

from .absences import Absence, SeriesClosure
from .capacity import AnswerType, CapacityStatus
from .charter import Charter, CharterAcceptance, CharterReminder, CharterVersion
from .needs import CooperationNeed, NeedEndorsement, NeedMention, NeedStage, NeedStageChange, Theme
from .ritual import (
    Action,
    AgendaItem,
    AgendaItemKind,
    AgendaTemplate,
    AgendaTemplateItem,
    Attendance,
    Decision,
    InfoRoundAnswer,
    InfoRoundEntry,
    InfoRoundQuestion,
    Minutes,
    MinutesCorrection,
    MinutesRevision,
    PresenterRole,
)
from .series import (
    KIND_DEFAULTS,
    Admission,
    CalendarDate,
    CalendarFeed,
    JoinRequest,
    Mode,
    Participation,
    PollAnswer,
    PollSlot,
    Series,
    Session,
    SlotPoll,
    Visibility,
    Weekday,
)

__all__ = [
    "KIND_DEFAULTS",
    "Absence",
    "Action",
    "Admission",
    "AgendaItem",
    "AnswerType",
    "AgendaItemKind",
    "AgendaTemplate",
    "AgendaTemplateItem",
    "Attendance",
    "CalendarDate",
    "CalendarFeed",
    "Charter",
    "CharterAcceptance",
    "CharterReminder",
    "CharterVersion",
    "CapacityStatus",
    "CooperationNeed",
    "Decision",
    "InfoRoundAnswer",
    "InfoRoundEntry",
    "InfoRoundQuestion",
    "JoinRequest",
    "Minutes",
    "MinutesCorrection",
    "MinutesRevision",
    "Mode",
    "NeedEndorsement",
    "NeedMention",
    "NeedStage",
    "NeedStageChange",
    "PresenterRole",
    "Participation",
    "PollAnswer",
    "PollSlot",
    "Series",
    "SeriesClosure",
    "Session",
    "SlotPoll",
    "Theme",
    "Visibility",
    "Weekday",
]

# Referenced by the migrations as meetings.models.<name>.
from .series import _feed_token, _jitsi_room  # noqa: E402, F401
