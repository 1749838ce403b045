FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program would run this text as a formula."""
    return text.startswith(FORMULA_PREFIXES)


def cell_safe(value) -> str:
    """Neutralise a CSV cell that a spreadsheet program would run as a formula:
    a leading apostrophe, as OWASP advises for CSV (which has no cell types).
    An XLSX file says "text" in the cell's type instead, and keeps the value as typed."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text
