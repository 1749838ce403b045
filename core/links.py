"""Absolute links, for what is read outside the portal (emails, calendar files)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from `reverse`) on the portal's public address, SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path
