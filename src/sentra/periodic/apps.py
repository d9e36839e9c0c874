from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodicConfig(AppConfig):
    """Periodic reporting (DHIS2's pattern): one mechanism for centre, business and DAK reports (issue #4).

    It sits at the level of ``core``: it imports no domain app; domain apps register their report forms.
    """

    name = "sentra.periodic"
    label = "periodic"
    verbose_name = _("Laporan berkala")
