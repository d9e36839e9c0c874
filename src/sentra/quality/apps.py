from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "sentra.quality"
    label = "quality"
    verbose_name = _("Mutu dan Industri 4.0")
