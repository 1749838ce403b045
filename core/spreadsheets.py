"""Spreadsheet files (CSV and XLSX) that never run what a person typed."""

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


def keep_as_text(cells) -> None:
    """Put the XLSX cells (openpyxl) whose text a spreadsheet would run as a formula
    ("=HYPERLINK(…)") in text cells with the quote-prefix style: the reader sees
    them as typed, nothing runs, and editing the cell keeps it text."""
    for cell in cells:
        if isinstance(cell.value, str) and looks_like_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
