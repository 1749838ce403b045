import io

from .base import Exporter, sheet_cell

MAX_WIDTH = 60


class XlsxExporter(Exporter):
    """One sheet per table, headers in bold, cells neutralised."""

    format = "xlsx"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, progress=lambda p: None) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        book.remove(book.active)
        tables = self.document.tables
        for index, table in enumerate(tables):
            sheet = book.create_sheet(title=table["title"][:31].replace("/", "-"))
            sheet.append([sheet_cell(h) for h in table["headers"]])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in table["rows"]:
                sheet.append([sheet_cell(v) for v in row])
            for column, header in enumerate(table["headers"], start=1):
                longest = max([len(str(header))] + [len(str(r[column - 1])) for r in table["rows"][:200]])
                sheet.column_dimensions[sheet.cell(1, column).column_letter].width = min(MAX_WIDTH, longest + 2)
            sheet.freeze_panes = "A2"
            progress(30 + 60 * (index + 1) // len(tables))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
