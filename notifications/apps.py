from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Imported here, once every model is loaded (models cannot be imported
        # before the app registry is ready).
        from . import digest

        # Every app's notifications.py registers its kinds, finders and digest
        # sections; an error there stops the start-up instead of an email.
        autodiscover_modules("notifications")
        # The digest, this app's own kind, comes last: the scan makes its rows
        # after the others, and it is the last of the kinds listed.
        digest.register()
