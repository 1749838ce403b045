from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        # An answer to a series' contribution question, given when registering,
        # becomes a contribution (receivers.py calls the service).
        from meetings.origins import register_origin_finder

        from . import receivers  # noqa: F401  (connects the signal receivers)
        from .selectors import forward_origins

        # The link back from an item relaunched in another series (its agenda, its needs).
        register_origin_finder(forward_origins)
