from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.signals import language_chosen


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Imported here: the receivers import the services, whose models need the app registry ready.
        from .signals import remember_language

        language_chosen.connect(remember_language, dispatch_uid="accounts.remember_language")
