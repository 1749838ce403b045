"""Settings for a developer's machine, the default of manage.py: the base
settings with DEBUG on unless DEBUG says otherwise, so that `manage.py
migrate`, `makemigrations --check` or `shell` work on a fresh clone.

Servers never use this module: gunicorn (config/wsgi.py), Celery
(config/celery_app.py) and the systemd units of deploy/ name
config.settings.base, which refuses to start without a SECRET_KEY.

It adds the developer's tools (devtools: `seed_demo`, `seed_bench`), which
production never installs.
"""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403
from .base import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
