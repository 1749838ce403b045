"""The emails the meetings send, registered with the notifications app.

Imported at start-up by the notifications' autodiscovery (each app's
`notifications` module); importing it registers:

- kinds.py: the codes and labels of the kinds;
- content.py: what each says and to whom it may still go (one registered
  `Kind` each);
- due.py: when each is due (the finders the periodic scan calls);
- digest.py: what the weekly digest shows of the meetings;

and offers audience.py (whom a series' news is for) and schedule.py (the
emails of one session, for its page).
"""

from notifications.registry import register_digest_section, register_finder, register_kind

from . import content, digest, due
from .kinds import MeetingKind

__all__ = ["MeetingKind"]

for _kind in content.KINDS:
    register_kind(_kind)
for _find in due.FINDERS:
    register_finder(_find)
register_digest_section("meetings", digest.meetings_digest, digest.meetings_digest_many)
