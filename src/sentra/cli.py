"""The `sentra` command: Django's management commands plus Sentra's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentra.settings.base")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A missing production variable: say which one, without a traceback (settings/prod.py).
        print(f"sentra: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
