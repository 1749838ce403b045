"""Where to send a person back to: the `next` parameter, validated.

`next` comes from the request, so it is hostile until proven a path of this
site. The result goes to `HttpResponseRedirect` as a URL: never to
`redirect()`, which would try to reverse anything that does not look like a
URL (`home`, `"><img …>`) as the name of a view.
"""

import re
from urllib.parse import urlsplit, urlunsplit

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any page of the portal, shorter than what a proxy takes in a header.
NEXT_MAX_LENGTH = 2000
# Control characters, quotes, angle brackets, backquotes and backslashes (which
# browsers read as slashes, so that `/\evil` would leave the site).
UNSAFE = re.compile(r"[\x00-\x20\x7f\"'<>`\\]")


def local_path(url: str, *, host: str) -> str | None:
    """`url` as a path (and query) of this site, or None when it is anything else.

    A path begins with a single `/`, holds no control character, space, quote,
    angle bracket or backslash, and names no other scheme or host.
    """
    if not url or len(url) > NEXT_MAX_LENGTH or UNSAFE.search(url):
        return None
    if not url.startswith("/") or url.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={host}):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def safe_next(request, default: str) -> str:
    """The request's `next` (POST, then GET) when it is a path of this site, `default` otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return local_path(target, host=request.get_host()) or default


def redirect_next(request, default: str) -> HttpResponseRedirect:
    """A redirect to the request's validated `next`, else to `default` (a URL, never a view name)."""
    return HttpResponseRedirect(safe_next(request, default))
