"""Compile Sentra's .po catalogues to .mo with Babel, so no system gettext is needed on a fresh machine."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Mengompilasi katalog terjemahan Sentra (.po → .mo) tanpa gettext sistem."

    def handle(self, *args, **options):
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as fh:
                    catalog = read_po(fh, locale=po_path.parent.parent.name)
                with mo_path.open("wb") as fh:
                    write_mo(fh, catalog, use_fuzzy=False)
                count += 1
        self.stdout.write(f"{count} katalog dikompilasi.")
