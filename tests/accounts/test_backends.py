"""Django's model permissions are read for superusers alone (accounts/backends.py)."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_refused_global_permission_reads_no_model_permission():
    person = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        assert not person.has_perm("meetings.add_series")
        assert person.get_all_permissions() == set()
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]


def test_a_model_permission_given_to_someone_who_is_not_a_superuser_grants_nothing():
    person = UserFactory()
    person.user_permissions.add(Permission.objects.get(codename="change_series"))
    assert not person.has_perm("meetings.change_series")


def test_a_superuser_still_has_every_model_permission_for_the_admin_site():
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert admin.has_perm("meetings.change_series")
    assert admin.has_module_perms("meetings")
