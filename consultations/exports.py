"""The synthesis as files: PDF (WeasyPrint), DOCX (python-docx) and the next session's
calendar file. Their layout reads like seeds 001 and 003: the context, the participants,
a heading per theme with its statement and items (and their answers), the thanks and the
next-session block. The calendar file holds the series' name, the time and the place or
link only: never a contribution."""

import io

import icalendar
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import formats
from core.brussels import BRUSSELS, brussels_datetime_label
from core.links import absolute_url
from core.spreadsheets import xlsx_table

from .selectors import SynthesisDocument

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ics": "text/calendar; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def synthesis_title(document: SynthesisDocument) -> str:
    return _("%(series)s — synthesis of %(date)s") % {
        "series": document.session.series.name,
        "date": formats.day(document.session.starts_at.astimezone(BRUSSELS)),
    }


def next_session_label(document: SynthesisDocument) -> str:
    """The next session's date and time in Brussels wall time ("" when not announced)."""
    synthesis = document.synthesis
    if not synthesis.next_starts_at:
        return ""
    label = brussels_datetime_label(synthesis.next_starts_at)
    if synthesis.next_ends_at:
        label = _("%(start)s to %(end)s") % {
            "start": label,
            "end": synthesis.next_ends_at.astimezone(BRUSSELS).strftime("%H:%M"),
        }
    return label


def synthesis_pdf(document: SynthesisDocument) -> bytes:
    # WeasyPrint loads Pango: only the exports need it, so not at start-up.
    import weasyprint

    html = render_to_string(
        "consultations/synthesis_pdf.html",
        {"doc": document, "title": synthesis_title(document), "next_label": next_session_label(document)},
    )
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _answer_line(item) -> str:
    line = item.get_status_display()
    if item.reason:
        line += " — " + item.reason
    return line


def synthesis_docx(document: SynthesisDocument) -> bytes:
    # python-docx is loaded only by the exports.
    from docx import Document

    synthesis = document.synthesis
    out = Document()
    title = synthesis_title(document)
    out.core_properties.title = title
    out.add_heading(title, level=0)
    if synthesis.context:
        out.add_heading(_("Context"), level=1)
        for block in synthesis.context.split("\n\n"):
            if block.strip():
                out.add_paragraph(block.strip())
    out.add_paragraph(_("Contributions: %(n)s") % {"n": formats.number(document.contributions, 0)})
    if document.participants:
        out.add_paragraph(_("Participants: %(n)s") % {"n": formats.number(document.participants, 0)})
    if document.organisations:
        out.add_paragraph(_("Organisations: %(names)s") % {"names": ", ".join(document.organisations)})
    out.add_heading(_("Contributions by theme"), level=1)
    groups = [(theme.name, theme.statement, theme.item_list) for theme in document.themes]
    if document.unsorted:
        groups.append((_("Other contributions"), "", document.unsorted))
    for name, statement, items in groups:
        out.add_heading(name, level=2)
        if statement:
            out.add_paragraph("► " + _("Expectations: %(text)s") % {"text": statement})
        for item in items:
            out.add_paragraph(item.text, style="List Bullet")
            for source in item.sources.all():
                out.add_paragraph("— " + source.text, style="List Bullet 2")
            out.add_paragraph(_answer_line(item))
    if synthesis.thanks:
        out.add_paragraph(synthesis.thanks)
    if synthesis.next_starts_at:
        out.add_heading(_("Next session"), level=1)
        out.add_paragraph(next_session_label(document))
        if synthesis.next_place:
            out.add_paragraph(synthesis.next_place)
        if synthesis.next_details:
            out.add_paragraph(synthesis.next_details)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def next_session_ics(document: SynthesisDocument) -> bytes:
    synthesis, session = document.synthesis, document.session
    cal = icalendar.Calendar.new(prodid="-//Carrefour//Consultations//FR", method="PUBLISH")
    if synthesis.next_starts_at:
        ends = synthesis.next_ends_at or synthesis.next_starts_at
        event = icalendar.Event.new(
            uid=f"next-{session.public_id}@carrefour",
            stamp=timezone.now(),
            start=synthesis.next_starts_at.astimezone(BRUSSELS),
            end=ends.astimezone(BRUSSELS),
            summary=session.series.name,
            location=synthesis.next_place or None,
            url=absolute_url(reverse("consultations:synthesis", kwargs={"session_id": session.public_id})),
        )
        cal.add_component(event)
    return cal.to_ical()


def synthesis_xlsx(document: SynthesisDocument) -> bytes:
    """The items as a table (theme, kind, text, answer, reason): no author. A text typed like a
    formula stays text (core.spreadsheets)."""
    groups = [(theme.name, theme.item_list) for theme in document.themes] + [("", document.unsorted)]
    rows = [
        [name, item.get_kind_display(), item.text, item.get_status_display(), item.reason]
        for name, items in groups
        for item in items
    ]
    headers = [_("Theme"), _("Kind"), _("Contribution"), pgettext("noun", "Answer"), _("Reason or comment")]
    return xlsx_table(title=_("Contributions"), headers=headers, rows=rows)


def synthesis_file(document: SynthesisDocument, fmt: str) -> tuple[bytes, str, str]:
    """The file in `fmt` (pdf, docx, ics, xlsx), its content type and its name."""
    stamp = document.session.starts_at.astimezone(BRUSSELS).date().isoformat()
    build = {"pdf": synthesis_pdf, "docx": synthesis_docx, "ics": next_session_ics, "xlsx": synthesis_xlsx}[fmt]
    return build(document), FORMATS[fmt], f"synthesis-{stamp}.{fmt}"
