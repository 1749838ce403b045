FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value) -> str:
    """Neutralise a cell that a spreadsheet program would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
