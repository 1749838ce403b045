from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        # The models are loaded only now (the usual place of an app's signal receivers).
        from . import fragments

        fragments.connect()
