"""What an export shows, gathered once for every format.

A final evaluation shows what was frozen when it was finalised
(`Evaluation.snapshot`); the others show the data as it is now.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from core import formats
from meetings.models import Series

from ..defaults import DEFAULT_SECTIONS
from ..indicators import series_indicators
from ..models import Evaluation, ReportSection
from ..selectors import questionnaire_results
from .tables import series_tables


def document_data(series: Series, evaluation: Evaluation | None) -> dict:
    """Indicators, questionnaire results and tables, as JSON-ready data."""
    indicators = series_indicators(series)
    results = [r.as_data() for r in questionnaire_results(evaluation)] if evaluation else []
    return {"indicators": indicators, "results": results, "tables": series_tables(series, evaluation, indicators)}


@dataclass
class ExportDocument:
    series: Series
    evaluation: Evaluation | None
    sections: list[tuple[str, str]]
    indicators: dict
    results: list[dict]
    tables: list[dict]
    generated_at: object = field(default_factory=timezone.now)

    @property
    def title(self) -> str:
        return _("Evaluation of %(name)s") % {"name": self.series.name}

    @property
    def is_final(self) -> bool:
        return self.evaluation is not None and self.evaluation.status == Evaluation.Status.FINAL

    @property
    def state_label(self) -> str:
        if self.evaluation is None:
            return _("No evaluation opened yet")
        label = self.evaluation.get_status_display()
        return _("Version %(version)s · %(state)s") % {"version": self.evaluation.version, "state": label}

    def table(self, name: str) -> dict:
        return next(t for t in self.tables if t["name"] == name)

    def annex(self) -> dict:
        """The sessions table of the printed documents: who was present is a
        number (the spreadsheet and CSV keep the names); who was excused or
        absent, the exception worth reading, keeps the names. A two-year
        series of fifty operators prints in a few pages instead of dozens.
        Dates read as words in the reader's language ("1 septembre 2020")."""
        table = self.table("sessions")
        present = 4  # the column of the names of those present (see tables.sessions_tables)
        headers = list(table["headers"])
        headers[present] = _("Present (number)")
        rows = [
            [
                formats.day(row[0]),
                *row[1:present],
                len([n for n in str(row[present]).split(", ") if n]),
                *row[present + 1 :],
            ]
            for row in table["rows"]
        ]
        return {**table, "headers": headers, "rows": rows}


def export_document(series: Series, evaluation: Evaluation | None) -> ExportDocument:
    if evaluation is not None:
        sections = list(ReportSection.objects.filter(evaluation=evaluation).values_list("title", "body"))
    else:
        sections = [(str(title), "") for title in DEFAULT_SECTIONS]
    if evaluation is not None and evaluation.status == Evaluation.Status.FINAL and evaluation.snapshot:
        data = evaluation.snapshot
    else:
        data = document_data(series, evaluation)
    return ExportDocument(
        series=series,
        evaluation=evaluation,
        sections=sections,
        indicators=data["indicators"],
        results=data["results"],
        tables=data["tables"],
    )
