"""Logging that keeps capability tokens out of the logs.

A calendar feed, an unsubscribe link, an invitation and a registration's
cancellation link are each a secret in a URL path: whoever reads the path may
read the feed, unsubscribe someone, take the invitation or cancel a place.
Every log line that may hold a path (Django's request logs, runserver's and
gunicorn's access logs) goes through `redact_tokens`.
"""

import logging
import re

REDACTED = "<redacted>"

# The path segment after /feeds/, /feed/, /unsubscribe/, /invite/ or
# /registrations/cancel/, up to the next slash, query, quote or blank; a calendar
# feed keeps its ".ics".
_TOKEN_IN_PATH = re.compile(
    r"(/(?:feeds?|unsubscribe|invite|registrations/cancel)/)[^/?#\s\"']+?(\.ics)?(?=[/?#\s\"']|$)"
)


def redact_tokens(text: str) -> str:
    """`text` with the token of every capability URL in it replaced by <redacted>."""
    return _TOKEN_IN_PATH.sub(lambda m: f"{m.group(1)}{REDACTED}{m.group(2) or ''}", text)


class RedactTokensFilter(logging.Filter):
    """Redact capability tokens in a record's message and its string arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_tokens(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact_tokens(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True
