"""The guard against identifying data in a clinical text (a vignette, a
recommendation, a follow-up, a help-desk request).

`check(text)` returns what in the text identifies a person, each finding with
its place in the text and a French explanation; an empty list means the text
may be stored. Nothing here stores or logs the text itself.

The detectors, in order: Belgian national register numbers (NISS/INSZ, with
their checksum), email addresses, phone numbers. A detector is a function
from the text to findings; `DETECTORS` lists them.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import phonenumbers
from django.utils.translation import gettext_lazy as _
from stdnum.be import nn as belgian_nn


@dataclass(frozen=True)
class Finding:
    kind: str  # "niss", "email", "phone", …
    start: int
    end: int
    message: str

    def passage(self, text: str) -> str:
        return text[self.start : self.end]


Detector = Callable[[str], Iterable[Finding]]

# Eleven digits, written together or as 85.07.30-033.28 / 850730 033 28.
_NISS = re.compile(r"(?<!\d)\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s]?\d{2}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def national_numbers(text: str) -> Iterable[Finding]:
    for match in _NISS.finditer(text):
        if belgian_nn.is_valid(re.sub(r"\D", "", match.group())):
            yield Finding(
                "niss",
                match.start(),
                match.end(),
                _("A national register number (NISS) identifies the person: remove it."),
            )


def emails(text: str) -> Iterable[Finding]:
    for match in _EMAIL.finditer(text):
        yield Finding("email", match.start(), match.end(), _("An email address identifies the person: remove it."))


def phones(text: str) -> Iterable[Finding]:
    for match in phonenumbers.PhoneNumberMatcher(text, "BE", leniency=phonenumbers.Leniency.POSSIBLE):
        yield Finding("phone", match.start, match.end, _("A phone number identifies the person: remove it."))


DETECTORS: list[Detector] = [national_numbers, emails, phones]


def check(text: str) -> list[Finding]:
    """What in the text identifies a person, in the order of the text; overlapping
    findings keep the first detector's (a NISS is not also a phone number)."""
    found: list[Finding] = []
    for detector in DETECTORS:
        for finding in detector(text or ""):
            if not any(f.start < finding.end and finding.start < f.end for f in found):
                found.append(finding)
    return sorted(found, key=lambda f: (f.start, f.end))
