"""The findings shown to the author next to the field: the text with each
flagged passage in <mark>, and the list of passages with their explanation
(templates/anonymisation/findings.html)."""

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .findings import Finding


def highlight(text: str, findings: Iterable[Finding]) -> SafeString:
    """The text, HTML-escaped, each finding's passage in <mark>; the text's
    own markup shows as text, never as HTML."""
    parts, at = [], 0
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if f.start < at:  # overlapping findings: the first one's mark holds
            continue
        parts += [escape(text[at : f.start]), "<mark>", escape(text[f.start : f.end]), "</mark>"]
        at = f.end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))  # every piece of the text is escaped above


def findings_context(text: str, findings: list[Finding]) -> dict:
    """What findings.html shows: {"highlighted": …, "findings": [{"passage", "message", "kind"}]}."""
    return {
        "highlighted": highlight(text, findings),
        "findings": [{"kind": f.kind, "passage": f.passage(text), "message": f.message} for f in findings],
    }
