from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "sentra.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from sentra.api import permcache, tokencache

        permcache.connect()
        tokencache.connect()
