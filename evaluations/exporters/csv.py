import csv
import io
import zipfile

from .base import Exporter, sheet_cell


class CsvExporter(Exporter):
    """The tables as CSV files (UTF-8 with BOM, ";" as Excel in Belgium expects) in one zip."""

    format = "csv"
    extension = "zip"
    content_type = "application/zip"

    def render(self, progress=lambda p: None) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in self.document.tables:
                text = io.StringIO()
                writer = csv.writer(text, delimiter=";")
                writer.writerow([sheet_cell(h) for h in table["headers"]])
                writer.writerows([sheet_cell(v) for v in row] for row in table["rows"])
                archive.writestr(f"{table['name']}.csv", "\ufeff" + text.getvalue())
        progress(90)
        return out.getvalue()
