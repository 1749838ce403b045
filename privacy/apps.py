from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        # Imported here: the receiver imports the models, which need the app registry ready.
        from .signals import retention_notice_clear

        user_logged_in.connect(retention_notice_clear, dispatch_uid="privacy.retention_notice_clear")
