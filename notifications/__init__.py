"""Notifications: every email Carrefour sends about the meetings.

- scan.py finds what is due (a periodic job, every minute) and makes one
  `core.models.Notification` row per recipient, kind, object and period; the
  unique constraint makes the scan safe to run twice or on two beats.
- kinds.py says, for each kind, whom it may reach, whether a person may turn
  it off and what its email holds (never clinical content, never personal
  content about third parties).
- services.py claims a due row with a conditional UPDATE, renders its three
  templates in the recipient's language and sends it; transient SMTP errors
  are retried with backoff, permanent ones are kept as failures for admins.
"""
