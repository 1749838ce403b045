import io

from core.spreadsheets import keep_as_text

from .base import Exporter

MAX_WIDTH = 60


def _value(value):
    """Numbers stay numbers; everything else is text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return "" if value is None else str(value)


class XlsxExporter(Exporter):
    """One sheet per table, headers in bold, text that looks like a formula kept as text."""

    format = "xlsx"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, progress=lambda p: None) -> bytes:
        # Loaded by the export worker only: a web worker never builds a workbook.
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        book.remove(book.active)
        tables = self.document.tables
        for index, table in enumerate(tables):
            sheet = book.create_sheet(title=table["title"][:31].replace("/", "-"))
            sheet.append([_value(h) for h in table["headers"]])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            keep_as_text(sheet[1])
            for row in table["rows"]:
                sheet.append([_value(v) for v in row])
                keep_as_text(sheet[sheet.max_row])
            for column, header in enumerate(table["headers"], start=1):
                longest = max([len(str(header))] + [len(str(r[column - 1])) for r in table["rows"][:200]])
                sheet.column_dimensions[sheet.cell(1, column).column_letter].width = min(MAX_WIDTH, longest + 2)
            sheet.freeze_panes = "A2"
            progress(30 + 60 * (index + 1) // len(tables))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
