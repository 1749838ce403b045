"""Two accounts of the demo nobody has used for years, so that the retention
job's dry run (/privacy/retention/) has something to list on `make run`.

Two professionals who registered in their own name for the Namur pilot's
open evening in 2020 and never signed in again: no membership, no record
of theirs beyond the account. Idempotent: a second run changes nothing.
"""

import datetime

from accounts.models import User

# Signed in last on the pilot's open evening (Brussels time, 19:30).
LAST_SEEN = datetime.datetime(2020, 10, 15, 17, 30, tzinfo=datetime.UTC)
INACTIVE = [
    ("marc.delvaux@asbl-horizon.example", "Marc Delvaux"),
    ("sophie.lambert@cpas-jambes.example", "Sophie Lambert"),
]


def seed_inactive_accounts() -> list[User]:
    """The two accounts, created once with their 2020 dates."""
    found = []
    for email, name in INACTIVE:
        user, created = User.objects.get_or_create(email=email, defaults={"name": name, "language": "fr"})
        if created:
            user.set_unusable_password()
            user.date_joined = user.last_login = LAST_SEEN
            user.save(update_fields=["password", "date_joined", "last_login"])
        found.append(user)
    return found
