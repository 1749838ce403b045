from django.conf import settings
from django.template.loader import render_to_string

from ..charts import indicator_charts
from ..indicators import key_figures
from .base import Exporter


def report_context(document) -> dict:
    """What the PDF template (and the DOCX) show, beyond the document itself."""
    return {
        "doc": document,
        "figures": key_figures(document.indicators),
        "charts": indicator_charts(document.indicators),
        "annex": document.annex(),
    }


class PdfExporter(Exporter):
    """A document a network sends to its funders: title page, contents, the
    report, indicators with charts and tables, the questionnaire results,
    and an annex with the sessions and attendance. Drawn by WeasyPrint."""

    format = "pdf"
    extension = "pdf"
    content_type = "application/pdf"

    def render(self, progress=lambda p: None) -> bytes:
        import weasyprint  # loads Pango: only the exports need it

        html = render_to_string("evaluations/export_pdf.html", report_context(self.document))
        progress(60)
        return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
