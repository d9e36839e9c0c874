from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed only so that Django finds the demo's management commands; it has no models and registers nothing."""

    name = "sentra.demo"
    label = "demo"
    verbose_name = "Data demo"
