from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BassinsConfig(AppConfig):
    name = "bassins"
    verbose_name = _("Bassins and the map of the network")

    def ready(self):
        from . import fragments

        fragments.connect()
