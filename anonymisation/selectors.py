"""What the guard reads from the portal: the names of its people (their names
identify them as much as any common name) and the names of the directory's
services (which are not persons). Each is one query, kept in the cache for a
few minutes and dropped when a person or a service is saved (signals.py)."""

from django.core.cache import cache

from accounts.models import User
from operators.models import Operator

PEOPLE_KEY = "anonymisation:people-names"
SERVICES_KEY = "anonymisation:service-names"
TIMEOUT = 300  # seconds


def names_of_people() -> frozenset[str]:
    """The first names and surnames of the portal's people, each word of a
    person's name of two letters or more, as written (one query)."""
    names = cache.get(PEOPLE_KEY)
    if names is None:
        names = frozenset(
            word.strip(".,;()")
            for full in User.objects.exclude(name="").values_list("name", flat=True)
            for word in full.split()
            if len(word.strip(".,;()")) >= 2
        )
        cache.set(PEOPLE_KEY, names, TIMEOUT)
    return names


def names_of_services() -> frozenset[str]:
    """The names and short names of the directory's operators (one query)."""
    names = cache.get(SERVICES_KEY)
    if names is None:
        names = frozenset(
            name.strip()
            for pair in Operator.objects.values_list("name", "short_name")
            for name in pair
            if name and name.strip()
        )
        cache.set(SERVICES_KEY, names, TIMEOUT)
    return names


def names_forget() -> None:
    cache.delete_many([PEOPLE_KEY, SERVICES_KEY])
