from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        # The email verification of a sign-up made through a registration
        # page turns the registration waiting for it into a real one.
        from . import receivers  # noqa: F401  (connects the signal receivers)
