from django import template

register = template.Library()


@register.filter
def link_other(link, operator):
    """The other end of a map link, seen from `operator`."""
    return link.other(operator)
