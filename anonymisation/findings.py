"""A finding of the guard: where in the text, what kind, and why, in the
reader's language (the messages are translated; French first)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Finding:
    kind: str  # one of MESSAGES' keys
    start: int
    end: int
    message: str

    def passage(self, text: str) -> str:
        return text[self.start : self.end]


MESSAGES = {
    "niss": _("A national register number (NISS) identifies the person: remove it."),
    "email": _("An email address identifies the person: remove it."),
    "phone": _("A phone number identifies the person: remove it."),
    "date": _("An exact date can be a date of birth: give only the year, the month or an age range."),
    "address": _("An address shows where the person lives: give only the municipality or the area."),
    "name": _("A person’s name identifies them: write “Mrs X.” or initials."),
}


def finding(kind: str, start: int, end: int) -> Finding:
    return Finding(kind, start, end, MESSAGES[kind])
