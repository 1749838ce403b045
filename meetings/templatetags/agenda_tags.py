"""Filters of the info round's templates. They only format data a selector read."""

from django import template

register = template.Library()


@register.filter
def answered(compiled):
    """The entries of a compiled round that were submitted."""
    return [c for c in compiled if c.answered]


@register.filter
def unanswered(compiled):
    """The operators of a compiled round that have not submitted."""
    return [c for c in compiled if not c.answered]


@register.filter
def signalled(compiled):
    """The entries of a compiled round that gave a capacity signal."""
    return [c for c in compiled if c.signal is not None and c.signal.capacity]
