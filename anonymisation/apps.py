from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnonymisationConfig(AppConfig):
    name = "anonymisation"
    verbose_name = _("Anonymisation guard")

    def ready(self):
        # The receivers' module imports the models: only once the registry is ready.
        from . import signals  # noqa: F401
