"""Settings of the benchmark server: the production settings (config.settings.base,
read from the environment) with the developer's tools installed (the `bench`
command, the floor's template) and the benchmark's URLconf, which adds the floor page.

Used only by `make bench` (DJANGO_SETTINGS_MODULE=devtools.bench.settings); the
portal's own URLconf never serves the floor.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
ROOT_URLCONF = "devtools.bench.urls"
