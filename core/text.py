import unicodedata

from django.utils.translation import pgettext


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents, for accent-blind search."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def of_name(name: str) -> str:
    """ "of <name>" in the active language, with French elision: "de Canopée"
    but "d’Emism". The two forms come from the catalogue; the choice is made
    on the name's first letter (a vowel, accents ignored)."""
    if fold(name[:1]) in "aeiou" and name[:1]:
        return pgettext("before a vowel", "of %(name)s") % {"name": name}
    return pgettext("before a consonant", "of %(name)s") % {"name": name}
