"""The demo's two accounts unused since 2020: the retention job's dry run lists them."""

import pytest
from django.utils import timezone

from devtools.demo_privacy import INACTIVE, seed_inactive_accounts
from privacy.retention import retention_apply, to_warn

pytestmark = pytest.mark.django_db


def test_the_dry_run_lists_the_demo_inactive_accounts_and_changes_nothing():
    seed_inactive_accounts()
    seed_inactive_accounts()  # a second run changes nothing
    listed = {user.email for user in to_warn(timezone.now())}
    assert listed == {email for email, _name in INACTIVE}
    report = retention_apply(dry_run=True)
    assert report.counts()["warned"] == 2 and len(report.warned) == 2
    assert {user.email for user in to_warn(timezone.now())} == listed  # still there: nothing was sent
