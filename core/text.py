import unicodedata


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents, for accent-blind search."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
