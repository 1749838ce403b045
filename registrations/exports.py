"""The list of a series' (or a session's) registrations as CSV or XLSX:
every cell safe from spreadsheet formulas (core/spreadsheets.py), and the
export recorded in the audit trail by the view."""

import csv
import io

from django.utils.translation import gettext as _

from core.brussels import brussels_datetime_label
from core.spreadsheets import cell_safe, xlsx_table
from meetings.models import Series, Session

from .models import Question, Registration

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def registrations_table(
    *, series: Series, registrations: list[Registration], attendance: dict[int, str] | None = None
) -> tuple[list[str], list[list]]:
    """Headers and rows: who, which organisation and profession, for what, in which state, their answers."""
    questions = list(Question.objects.filter(series=series))
    headers = [
        _("Name"),
        _("Email address"),
        _("Organisation"),
        _("Profession"),
        _("Session"),
        _("Status"),
        _("Since"),
    ]
    headers += [q.text for q in questions]
    if attendance is not None:
        headers.append(_("Attendance"))
    rows = []
    for r in registrations:
        answers = {a.question_id: a.text for a in r.answers.all()}
        row = [
            r.user.name,
            r.user.email,
            r.organisation,
            r.profession,
            brussels_datetime_label(r.session.starts_at) if r.session else _("Whole series"),
            r.get_status_display(),
            brussels_datetime_label(r.status_changed_at),
        ]
        row += [answers.get(q.pk, "") for q in questions]
        if attendance is not None:
            row.append(attendance.get(r.user_id, ""))
        rows.append(row)
    return headers, rows


def export_bytes(*, fmt: str, title: str, headers: list[str], rows: list[list]) -> bytes:
    if fmt == "xlsx":
        return xlsx_table(title=title, headers=headers, rows=rows)
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(out)
    writer.writerow([cell_safe(h) for h in headers])
    writer.writerows([cell_safe(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def export_filename(*, series: Series, session: Session | None, fmt: str) -> str:
    scope = session.starts_at.date().isoformat() if session else f"series-{series.pk}"
    return f"carrefour-registrations-{scope}.{fmt}"
