"""Test settings: the base settings with fast hashing, eager Celery and the
developer's tools (devtools: the demo data and the benchmark are tested too)."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403
from .base import INSTALLED_APPS, VAR_DIR  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = VAR_DIR / "test-media"
# Tests hit the login form many times from one address.
ACCOUNT_RATE_LIMITS = False
# Most tests sign people in with force_login and test something else than
# the second factor; the tests of the second factor, and the permission table
# once with it, turn it on (tests/accounts/test_second_factor.py,
# tests/test_permissions.py). Production keeps the default: on.
SECOND_FACTOR_REQUIRED = False
# The clinical situations' own second-factor gate: tested on and off in tests/clinical.
CLINICAL_SECOND_FACTOR_REQUIRED = False
