import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from core.permissions import require_perm

pytestmark = pytest.mark.django_db


def test_require_perm_follows_the_rules(series, coordinator, member, other_coordinator):
    require_perm(coordinator, "meetings.change_series", series)
    for actor in (member, other_coordinator, AnonymousUser(), None):
        with pytest.raises(PermissionDenied):
            require_perm(actor, "meetings.change_series", series)
