"""``sentra import KIND FILE [--dry-run] [--partial] [--user NAME] [--default-region CODE]`` .

The same engine as the web import: the same checks, the same all-or-nothing rule, the same rejected-rows file.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from sentra.core.formatting import format_number
from sentra.core.importing import all_kinds, get_kind
from sentra.core.importing.engine import run_import
from sentra.core.importing.readers import FileRefused


class Command(BaseCommand):
    help = "Mengimpor berkas CSV/XLSX/XLS/ODS ke Sentra dengan mesin impor yang sama dengan halaman web."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        # The kinds, one a line, under the options: what KIND may be and what each one brings in.
        lines = [f"  {kind.key:<24} {kind.label}" for kind in sorted(all_kinds(), key=lambda k: k.key)]
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs.setdefault("epilog", "Jenis impor (KIND):\n" + "\n".join(lines))
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", help="jenis impor (daftar di bawah), mis. business")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan apa pun")
        parser.add_argument("--partial", action="store_true", help="simpan baris yang benar, tolak sisanya")
        parser.add_argument("--user", help="impor atas nama pengguna ini (cakupan wilayah & jejak audit)")
        parser.add_argument("--default-region", help="kode kab/kota bawaan bila alamat tidak menyebutnya")
        parser.add_argument("--errors", type=Path, help="tulis baris ditolak ke berkas XLSX ini")
        parser.add_argument("--batch", help="id kelas pelatihan (untuk training_attendance dan training_enrolment)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kind = get_kind(options["kind"])
        except LookupError as exc:
            raise CommandError(f"{exc} ({', '.join(k.key for k in all_kinds())})") from None
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"Pengguna {options['user']} tidak ditemukan.") from None
        started = time.monotonic()
        bar = _ProgressBar(self.stderr if sys.stderr.isatty() else None)
        try:
            outcome = run_import(
                path=path,
                filename=path.name,
                kind=kind,
                user=user,
                partial=options["partial"],
                dry_run=options["dry_run"],
                options={"default_region": options["default_region"], "batch": options["batch"]},
                progress=bar.update,
                interface="cli",
            )
        except FileRefused as exc:
            raise CommandError(exc.message) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        bar.finish()
        seconds = time.monotonic() - started
        if outcome.error_path:
            target = options["errors"] or path.with_name(path.stem + "-ditolak.xlsx")
            shutil.move(str(outcome.error_path), target)
            self.stdout.write(f"Baris ditolak ditulis ke {target}")
        for message in outcome.messages[:20]:
            marker = " (peringatan, tetap disimpan)" if message.get("warning") else ""
            self.stdout.write(f"  baris {message['line']}{marker}: {message['text']}")
        listed = min(len(outcome.messages), 20)
        if outcome.rejected + outcome.warned > listed:
            self.stdout.write(f"  … dan {format_number(outcome.rejected + outcome.warned - listed)} baris lain")
        result = outcome.as_result()
        if result["reasons"]:
            self.stdout.write("Alasan terbanyak (seluruh berkas):")
            for reason in result["reasons"][:10]:
                column = f"{reason['column']}: " if reason["column"] else ""
                lines = ", ".join(str(n) for n in reason["lines"])
                more = ", …" if reason["count"] > len(reason["lines"]) else ""
                warning = " [peringatan]" if reason["severity"] == "warning" else ""
                self.stdout.write(
                    f"  {format_number(reason['count'])} baris{warning} — {column}{reason['example']} "
                    f"(baris {lines}{more})"
                )
        r = {
            key: format_number(result[key]) for key in ("total", "valid", "rejected", "created", "updated", "unchanged")
        }
        rate = format_number(outcome.total / max(seconds, 1e-9))
        warned = f" ({format_number(outcome.warned)} dengan peringatan)" if outcome.warned else ""
        self.stdout.write(
            f"{r['total']} baris dibaca, {r['valid']} benar{warned}, {r['rejected']} ditolak; "
            f"{r['created']} baru, {r['updated']} diperbarui, {r['unchanged']} tidak berubah "
            f"({format_number(seconds, 1)} detik, {rate} baris/detik)."
        )
        for note in outcome.notes:
            self.stdout.write(note)
        if outcome.refused:
            raise CommandError(outcome.refused)
        if options["dry_run"]:
            self.stdout.write("Uji coba (--dry-run): tidak ada yang disimpan.")


class _ProgressBar:
    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.last = 0.0

    def update(self, done: int, total: int | None, phase: str | None) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if phase:
            self.stream.write(f"\n{phase}\n")
        elif now - self.last < 0.2:
            return
        self.last = now
        total = total or 0
        width = 40
        filled = int(width * done / total) if total else 0
        pct = f"{100 * done / total:5.1f}%" if total else "     "
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {pct} {done:,}/{total:,}")
        self.stream.flush()

    def finish(self) -> None:
        if self.stream is not None:
            self.stream.write("\n")
