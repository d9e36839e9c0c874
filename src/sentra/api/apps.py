from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "sentra.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from sentra.accounts.services import register_credential_revoker
        from sentra.api import permcache, services, tokencache

        permcache.connect()
        tokencache.connect()
        register_credential_revoker(services.tokens_revoke_for_user)  # a password reset ends the user's tokens
