from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        # An answer to a series' contribution question, given when registering,
        # becomes a contribution (receivers.py calls the service).
        from . import receivers  # noqa: F401  (connects the signal receivers)
