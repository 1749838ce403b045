from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # The models are loaded only now (the usual place of an app's signal receivers).
        from . import fragments, fragments_series

        fragments.connect()
        fragments_series.connect()
