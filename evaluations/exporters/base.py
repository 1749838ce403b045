from abc import ABC, abstractmethod
from collections.abc import Callable

from core.spreadsheets import cell_safe

from .document import ExportDocument


def _nothing(percent: int) -> None:
    return None


class Exporter(ABC):
    """Turns an ExportDocument into the bytes of one file format (pdf.py,
    docx.py, xlsx.py and csv.py each define one)."""

    format = ""
    extension = ""
    content_type = "application/octet-stream"

    def __init__(self, document: ExportDocument):
        self.document = document

    @abstractmethod
    def render(self, progress: Callable[[int], None] = _nothing) -> bytes:
        """The file's bytes; `progress` is told the percentage done as it goes."""


def sheet_cell(value):
    """A CSV cell: numbers stay numbers, text cannot run as a formula."""
    if isinstance(value, bool) or value is None:
        return cell_safe(value)
    if isinstance(value, int | float):
        return value
    return cell_safe(value)
