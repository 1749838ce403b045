import unicodedata

from django.utils.translation import pgettext


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents, for accent-blind search."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def choice_labels(choices) -> dict:
    """{value: label} of a field's choices, each label translated once in the
    active language: what a list shows for its rows' status or kind, instead of
    a get_FOO_display per row (which translates and hashes every choice again)."""
    return {value: str(label) for value, label in choices}


def of_name(name: str) -> str:
    """ "of <name>" in the active language, with French elision: "de Canopée"
    but "d’Emism". The two forms come from the catalogue; the choice is made
    on the name's first letter (a vowel, accents ignored)."""
    if fold(name[:1]) in "aeiou" and name[:1]:
        return pgettext("before a vowel", "of %(name)s") % {"name": name}
    return pgettext("before a consonant", "of %(name)s") % {"name": name}
