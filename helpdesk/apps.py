from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Bassin help desks")

    def ready(self):
        # The bassins know nothing of the help desk: it adds its figures to their
        # état des lieux and its links to their map through the bassins' registry
        # (imported here, once the apps are loaded: models cannot load earlier).
        from bassins.registry import register_link_source, register_state_section

        from . import fragments
        from .selectors.figures import state_section
        from .selectors.network import help_desk_links

        register_state_section("helpdesk", "helpdesk/_state_section.html", state_section)
        register_link_source("helpdesk", _("help-desk collaboration"), help_desk_links, scope=fragments.MAP_SCOPE)
        fragments.connect()
