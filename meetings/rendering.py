"""Markdown written by coordinators (a series' charter), as HTML safe to show.

Python-Markdown turns the text into HTML, which may then hold anything the
author typed (raw HTML passes through Markdown); nh3 keeps only the tags and
attributes of a written text: no script, style, image, form or event handler,
links to web and mail addresses only. The headings move down under the
charter's title (the page's title is its h1, the charter's its h2): "#" and
"##" become h3, "###" h4, and so on.
"""

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "blockquote", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
HEADING = re.compile(r"<(/?)h([1-6])\b")


def _heading_down(match: re.Match) -> str:
    return f"<{match.group(1)}h{min(max(int(match.group(2)) + 1, 3), 6)}"


def markdown_to_html(text: str) -> SafeString:
    """The Markdown `text` as sanitised HTML, ready for a template."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"], output_format="html")
    html = HEADING.sub(_heading_down, html)
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
