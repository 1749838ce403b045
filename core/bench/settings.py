"""Settings of the benchmark server: the production settings (config.settings.base,
read from the environment) with the benchmark's URLconf, which adds the floor page.

Used only by `make bench` (DJANGO_SETTINGS_MODULE=core.bench.settings); the
portal's own URLconf never serves the floor.
"""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "core.bench.urls"
