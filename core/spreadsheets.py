"""Spreadsheet files (CSV and XLSX) that never run what a person typed."""

import io

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


def xlsx_table(*, title: str, headers: list, rows: list[list]) -> bytes:
    """One sheet as an XLSX file: headers in bold, numbers kept as numbers,
    and text that a spreadsheet would run as a formula stored as plain text
    (the cell's type says "text", with the quote-prefix style): the reader
    sees it as typed, nothing runs."""
    # Loaded by the exports only: a page never builds a workbook.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = (title or "Carrefour")[:31].translate(str.maketrans("[]:*?/\\", "-------"))
    for values in [headers, *rows]:
        sheet.append([v if isinstance(v, int | float) and not isinstance(v, bool) else _text(v) for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and looks_like_formula(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value) -> str:
    return "" if value is None else str(value)
