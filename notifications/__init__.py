"""Notifications: every email Carrefour sends about what happens in it.

- registry.py: the kinds, as the apps that own them register them (each
  app's notifications.py); this app knows none by name.
- scan.py finds what is due (a periodic job, every minute) by asking each
  registered finder, and makes one `Notification` row per recipient, kind,
  object and period; the unique constraint makes the scan safe to run twice
  or on two beats.
- delivery.py claims a due row with a conditional UPDATE, renders its three
  templates in the recipient's language and sends it; transient SMTP errors
  are retried with backoff, permanent ones are kept as failures for admins.
- digest.py: the weekly digest, made of the sections the apps register.
- services.py: preferences, unsubscribing, sending a failed row again.
"""
