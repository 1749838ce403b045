from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        # Imported here: the receivers import the services, whose models need the app registry ready.
        from allauth.account.signals import user_logged_in

        from .signals import retention_notice_clear

        user_logged_in.connect(retention_notice_clear, dispatch_uid="privacy.retention_notice_clear")
