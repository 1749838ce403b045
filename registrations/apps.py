from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        # Imported once the apps are ready (models are not before):
        # - the email verification of a sign-up made through a registration
        #   page turns the registration waiting for it into a real one;
        # - the session forms of meetings set places through our service
        #   (meetings/places.py), the one owner of the waiting list.
        from meetings.places import places_setter_register

        from . import receivers  # noqa: F401  (connects the signal receivers)
        from .services import session_capacity_set

        places_setter_register(session_capacity_set)
