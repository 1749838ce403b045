from django import template

from core import text
from meetings import rendering, video

register = template.Library()


@register.inclusion_tag("meetings/_join_button.html")
def join_button(session, now=None, compact=False):
    """The "Join" button of a session: shown from 15 minutes before the start until the end."""
    return {
        "compact": compact,
        "session": session,
        "join_url": video.session_join_url(session),
        "join_open": video.join_is_open(session, now),
    }


@register.filter
def of_name(name) -> str:
    """ "of <name>" with French elision ("de Canopée", "d’Emism"): see core.text.of_name."""
    return text.of_name(str(name))


@register.filter
def markdown(text) -> str:
    """Markdown written by coordinators (a charter) as sanitised HTML: see meetings.rendering."""
    return rendering.markdown_to_html(str(text or ""))
