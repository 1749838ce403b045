from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Bassin help desks")

    def ready(self):
        # The bassins know nothing of the help desk: it adds its figures to their
        # état des lieux through the bassins' registry of sections.
        from bassins.registry import register_state_section

        from .selectors.figures import state_section

        register_state_section("helpdesk", "helpdesk/_state_section.html", state_section)
