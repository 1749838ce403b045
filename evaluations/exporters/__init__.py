"""Exporters of an evaluation: one small class per format, each turning an
ExportDocument into bytes. `exporter_for(format)` picks the class."""

from .base import Exporter
from .csv import CsvExporter
from .docx import DocxExporter
from .pdf import PdfExporter
from .xlsx import XlsxExporter

EXPORTERS: dict[str, type[Exporter]] = {
    cls.format: cls for cls in (PdfExporter, DocxExporter, XlsxExporter, CsvExporter)
}


def exporter_for(format: str) -> type[Exporter]:
    return EXPORTERS[format]
