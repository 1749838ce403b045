from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The demo data and the benchmark: installed by the local, test and
    benchmark settings, never by config.settings.base (the servers')."""

    name = "devtools"
