import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import formats

from ..charts import indicator_charts
from ..indicators import key_figures
from .base import Exporter


def _table(document, headers, rows) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def _paragraphs(document, text: str) -> None:
    for block in text.split("\n\n"):
        if block.strip():
            document.add_paragraph(block.strip())


class DocxExporter(Exporter):
    """The same content as the PDF, editable: real headings and tables."""

    format = "docx"
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def render(self, progress=lambda p: None) -> bytes:
        # Loaded by the export worker only: a web worker never builds a document.
        from docx import Document
        from docx.shared import Cm

        doc = self.document
        out = Document()
        out.core_properties.title = doc.title
        out.add_heading(doc.title, level=0)
        out.add_paragraph(doc.state_label)
        period = doc.indicators["period"]
        if period["start"] and period["end"]:
            dates = {"start": formats.day(period["start"]), "end": formats.day(period["end"])}
            out.add_paragraph(_("Pilot period: %(start)s – %(end)s") % dates)
        out.add_paragraph(_("Generated on %(date)s") % {"date": formats.day(doc.generated_at)})

        out.add_heading(_("Report"), level=1)
        for title, body in doc.sections:
            out.add_heading(title, level=2)
            if body.strip():
                _paragraphs(out, body)
            else:
                out.add_paragraph(_("This section is not written yet."))
        progress(45)

        out.add_heading(_("Indicators"), level=1)
        _table(out, [_("Indicator"), _("Value")], key_figures(doc.indicators))
        for chart in indicator_charts(doc.indicators):
            out.add_heading(chart.title, level=2)
            out.add_picture(io.BytesIO(chart.png), width=Cm(15))
            out.add_paragraph(chart.alt)
            _table(out, chart.headers, chart.rows)
        progress(70)

        out.add_heading(_("Questionnaire results"), level=1)
        for result in doc.results:
            out.add_heading(result["prompt"], level=2)
            out.add_paragraph(_("Operators who answered: %(n)s") % {"n": formats.number(result["answered"])})
            if result["kind"] == "scale":
                _table(out, [_("Value"), _("Label"), _("Operators")], result["counts"])
                if result["mean"] is not None:
                    out.add_paragraph(_("Average: %(mean)s / 5") % {"mean": formats.number(result["mean"], 2)})
            elif result["kind"] == "text":
                _table(out, [_("Operator"), pgettext("noun", "Answer")], result["texts"])
            else:
                _table(out, [_("Option"), _("Operators")], result["counts"])
        progress(85)

        out.add_heading(_("Annex: sessions and attendance"), level=1)
        annex = doc.annex()
        _table(out, annex["headers"], annex["rows"])
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
