"""Which bassins a person keeps: read by the rules, so it imports nothing else of the app's selectors."""

from core.request_cache import cached_on

from ..models import BassinMember, Team


def coordinated_bassin_ids(user) -> set[int]:
    """Ids of the bassins whose coordination team the person is in (once per request)."""
    if not user.is_authenticated:
        return set()
    return cached_on(
        user,
        "coordinated_bassins",
        lambda: set(BassinMember.objects.filter(user=user, team=Team.COORDINATION).values_list("bassin_id", flat=True)),
    )
