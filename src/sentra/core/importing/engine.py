"""The import pipeline every kind shares: header row → mapping → column-wise parsing → row checks → commit.

``run_import`` reads the file in batches: each batch is parsed column by column (each distinct cell once), checked
row by row by the kind, then written by the kind's bulk ``commit``, all inside ONE transaction, so a worker
killed half-way leaves no partial data. Rejected rows stream into the rejected-rows workbook. When a row refuses
the whole file (a row outside the user's scope, or any bad row in all-or-nothing mode) the run stops writing,
keeps checking so that every bad row is reported, and rolls back.
"""

from __future__ import annotations

import contextlib
import gc
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sentra.core.importing import cells
from sentra.core.importing.kinds import Batch, BatchRows, CommitStats, ImportContext, ImportKind, normalise_header
from sentra.core.importing.pipeline import background_writes
from sentra.core.importing.readers import FileRefused, Table, inspect_file

HEADER_SCAN_ROWS = 30
MAX_REPORTED_ERRORS = 500
_NOTE_ROW = re.compile(r"^(\*|sumber|keterangan|catatan|ket\s*:|note|source)", re.IGNORECASE)


@dataclass
class Layout:
    """Where the header row is and which file column feeds which kind column."""

    header_line: int
    headers: list[str]
    mapping: dict[int, str]  # file column index → kind column key
    #: Added to every reported row number: a file Sentra wrote itself (the class page's paste box puts a header
    #: line above the pasted lines) reports the lines as the user pasted them (-1).
    line_offset: int = 0

    def as_params(self) -> dict[str, Any]:
        return {
            "header_line": self.header_line,
            "headers": self.headers,
            "mapping": {str(k): v for k, v in self.mapping.items()},
            "line_offset": self.line_offset,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Layout:
        return cls(
            header_line=int(params["header_line"]),
            headers=list(params["headers"]),
            mapping={int(k): v for k, v in params["mapping"].items() if v},
            line_offset=int(params.get("line_offset") or 0),
        )


def _blank(row: list[Any]) -> bool:
    return all(cells.is_empty(v) for v in row)


def header_score(row: list[Any], kind: ImportKind) -> int:
    known = set().union(*(c.headers() for c in kind.columns))
    return sum(1 for v in row if normalise_header(v) in known)


def find_header(table: Table, kind: ImportKind) -> tuple[int, list[str]]:
    """The line among the first rows that names most of the kind's columns (titles and merged cells above it
    are skipped). Falls back to the first non-blank row."""
    best: tuple[int, int, list[Any]] | None = None
    first: tuple[int, list[Any]] | None = None
    seen = 0
    for line, row in table.rows():
        if _blank(row):
            continue
        first = first or (line, row)
        score = header_score(row, kind)
        if score and (best is None or score > best[0]):
            best = (score, line, row)
        seen += 1
        if seen >= HEADER_SCAN_ROWS:
            break
    chosen = (best[1], best[2]) if best else first
    if chosen is None:
        raise FileRefused(_("Berkas tidak berisi data."), "empty")
    line, row = chosen
    return line, [cells.cell_text(v) for v in row]


def suggest_mapping(headers: list[str], kind: ImportKind, remembered: dict[str, str] | None = None) -> dict[int, str]:
    """Column index → column key, from the user's remembered mapping first, then exact header names and aliases,
    then a header that contains an alias (``"Nama Perusahaan/Usaha"``)."""
    remembered = remembered or {}
    mapping: dict[int, str] = {}
    used: set[str] = set()
    keys = {c.key for c in kind.columns}
    normalised = [normalise_header(h) for h in headers]
    for index, norm in enumerate(normalised):
        if norm in remembered and (remembered[norm] in keys or remembered[norm] == ""):
            if remembered[norm] and remembered[norm] not in used:
                mapping[index] = remembered[norm]
                used.add(remembered[norm])
            elif remembered[norm] == "":
                mapping[index] = ""
    for index, norm in enumerate(normalised):
        if index in mapping or not norm:
            continue
        for col in kind.columns:
            if col.key not in used and norm in col.headers():
                mapping[index] = col.key
                used.add(col.key)
                break
    for index, norm in enumerate(normalised):
        if index in mapping or len(norm) < 3:
            continue
        padded = f" {norm} "
        for col in kind.columns:
            if col.key in used:
                continue
            if any(len(alias) >= 4 and f" {alias} " in padded for alias in col.headers()):
                mapping[index] = col.key
                used.add(col.key)
                break
    return {k: v for k, v in mapping.items() if v}


def missing_required(kind: ImportKind, mapping: dict[int, str]) -> list[str]:
    mapped = set(mapping.values())
    return [c.label for c in kind.columns if c.required and c.key not in mapped]


_WORDS = re.compile(r"[a-z0-9]+")


def _header_norm(text: str) -> str:
    """``normalise_header`` of a cell text, with a fast path for plain ASCII (most cells)."""
    if text.isascii() and "(" not in text:
        return " ".join(_WORDS.findall(text.lower()))
    return normalise_header(text)


_SMALL_NUMBER = re.compile(r"\(?\d{1,2}\)?")


def _certainly_data(row: list[Any], mapped: list[int], header_set: set[str], digit_headers: bool) -> bool:
    """A cheap test that is True only for rows ``data_rows`` keeps (the common case: a filled first cell that is
    not a header, and another filled cell that is not a column number). False means "look closer", not "skip"."""
    first = row[0] if row else None
    kind = first.__class__
    if kind is str:
        if not first or first in cells.EMPTY or first != first.strip():
            return False
    elif kind is not float and kind is not int:
        return False
    width = len(row)
    for i in mapped:
        if i < width and not cells.is_empty(row[i]):
            break
    else:
        return False
    text = cells.cell_text(first)
    # A plain text starting with a digit normalises to something starting with it: no header, unless one does.
    if digit_headers or not (text[0].isdigit() and text.isascii() and "(" not in text):
        if _header_norm(text) in header_set:
            return False
    # Another filled cell that is not a small number: neither a lone note nor a row of column numbers.
    for value in row[1:]:
        if value is None:
            continue
        kind = value.__class__
        if kind is str:
            stripped = value.strip()
            if stripped and not (len(stripped) <= 4 and _SMALL_NUMBER.fullmatch(cells.cell_text(value))):
                return True
        elif kind is not float and kind is not int:
            return True
    return False


def data_rows(table: Table, layout: Layout) -> Iterator[tuple[int, list[Any]]]:
    """The rows under the header: blank rows, repeated header rows (page breaks), column-number rows
    ``(1) (2) (3)`` and footnote lines are skipped."""
    header_norm = [normalise_header(h) for h in layout.headers]
    header_set = {h for h in header_norm if h}
    mapped = sorted(layout.mapping)
    digit_headers = any(h[:1].isdigit() for h in header_set)
    offset = layout.line_offset
    for line, row in table.rows():
        if line <= layout.header_line:
            continue
        if _certainly_data(row, mapped, header_set, digit_headers):
            yield line + offset, row
            continue
        if _blank(row):
            continue
        if mapped and all(cells.is_empty(row[i]) if i < len(row) else True for i in mapped):
            continue  # something only in columns that are not imported: nothing to import
        texts = [cells.cell_text(v) for v in row]
        filled = [t for t in texts if t]
        # Repeated header rows (page breaks): cheap test on the first cell, full test only then.
        if header_set and filled and normalise_header(filled[0]) in header_set:
            norm = [normalise_header(t) for t in filled]
            if sum(1 for n in norm if n in header_set) >= max(2, (len(filled) + 1) // 2):
                continue
        if len(filled) >= 3 and filled[0][:1] in "(0123456789" and all(_SMALL_NUMBER.fullmatch(t) for t in filled):
            digits = [int(t.strip("()")) for t in filled]
            if digits == list(range(digits[0], digits[0] + len(digits))):
                continue
        if len(filled) == 1 and _NOTE_ROW.match(filled[0]) and not texts[0] == "":
            continue
        yield line + offset, row


def region_label(code: str, ctx: ImportContext) -> str:
    """``"Kabupaten Sleman (34.04)"``: a region's name and code, as officers speak of it (cached per run)."""
    labels = ctx.cache.setdefault("_region_labels", {})
    label = labels.get(code)
    if label is None:
        from django.apps import apps

        name: str | None = ""
        try:  # core imports no domain app: the region names come from the installed reference data, if any
            name = apps.get_model("regions", "Region").objects.filter(pk=code).values_list("name", flat=True).first()
        except LookupError:
            pass
        label = labels[code] = f"{name} ({code})" if name else code
    return label


def scope_label(ctx: ImportContext) -> str:
    """The regions a user may import into, named (``"Kota Kendari (74.71)"``), for scope messages."""
    scope = ctx.scope
    if scope is None or getattr(scope, "kind", "") != "region":
        return _("tidak ada wilayah")
    codes = sorted(scope.region_ids)
    shown = ", ".join(region_label(code, ctx) for code in codes[:3])
    return shown if len(codes) <= 3 else _("{shown} dan {count} lainnya").format(shown=shown, count=len(codes) - 3)


@dataclass
class RowResult:
    line: int
    raw: list[Any]
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    out_of_scope: bool = False
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_batch(
    batch: list[tuple[int, list[Any]]],
    layout: Layout,
    ctx: ImportContext,
    seen_keys: dict[Any, int] | None = None,
) -> Batch:
    """Parse a batch column by column, then check the rows as a whole (the kind's ``clean_columns``), their
    scope, and duplicates within the file (``seen_keys``, shared by the batches of one run)."""
    kind = ctx.kind
    lines = [line for line, _row in batch]
    raws = [row for _line, row in batch]
    count = len(raws)
    by_index = list(zip_longest(*raws)) if raws else []
    columns: dict[str, list[Any]] = {}
    errors: dict[int, dict[str, str]] = {}
    for index, key in layout.mapping.items():
        cells_ = by_index[index] if index < len(by_index) else [None] * count
        values, bad = kind.column(key).clean_many(cells_)
        columns[key] = values
        for i, message in bad.items():
            errors.setdefault(i, {})[key] = message
    for column in kind.columns:
        if column.key not in columns:
            columns[column.key] = [None] * count
    result = Batch(lines, raws, columns, errors)
    result.mapped = set(layout.mapping.values())
    kind.clean_columns(result, ctx)
    ok = result.ok_indices()
    allowed: dict[Any, bool] = {}
    for i, region in zip(ok, kind.batch_regions(result, ok), strict=True):
        permitted = allowed.get(region)
        if permitted is None:
            permitted = allowed[region] = ctx.region_allowed(region)
        if not permitted:
            result.out_of_scope.add(i)
            result.reject(
                i,
                {
                    "": _("Baris ini berada di {region}, di luar wilayah kewenangan Anda ({scope}).").format(
                        region=region_label(region, ctx) if region else _("wilayah yang tidak diketahui"),
                        scope=scope_label(ctx),
                    )
                },
            )
    if seen_keys is not None:
        ok = result.ok_indices()
        for i, key in zip(ok, kind.batch_keys(result, ok), strict=True):
            if key is None:
                continue
            line = lines[i]
            first = seen_keys.setdefault(hash(key), line)
            if first != line:
                result.reject(i, {"": _("Sama dengan baris {line} (kunci identitas yang sama).").format(line=first)})
    return result


def validate_batch(
    batch: list[tuple[int, list[Any]]],
    layout: Layout,
    ctx: ImportContext,
    seen_keys: dict[Any, int] | None = None,
    *,
    notes: bool = False,
) -> list[RowResult]:
    """Parse and check a batch (see :func:`check_batch`); one :class:`RowResult` per row, in order."""
    checked = check_batch(batch, layout, ctx, seen_keys)
    results = []
    for i, (line, raw) in enumerate(zip(checked.lines, checked.raws, strict=True)):
        values = checked.row(i)
        errors = checked.errors.get(i, {})
        result = RowResult(
            line=line,
            raw=raw,
            values=values,
            errors=dict(errors),
            out_of_scope=i in checked.out_of_scope,
            warnings=dict(checked.warnings.get(i, {})),
        )
        if notes and not errors:
            result.notes = ctx.kind.row_notes(values)
        results.append(result)
    return results


def error_text(result: RowResult, kind: ImportKind) -> str:
    return messages_text(result.errors, kind)


def messages_text(messages: dict[str, str], kind: ImportKind) -> str:
    """``{column key: message}`` as one line: ``"Omzet (Rp): 'banyak' bukan angka; KBLI: ..."``."""
    parts = []
    for key, message in messages.items():
        if key:
            try:
                label = kind.column(key).label
            except KeyError:
                label = key
            parts.append(f"{label}: {message}")
        else:
            parts.append(message)
    return "; ".join(parts)


def preview(table: Table, layout: Layout, ctx: ImportContext, limit: int | None = None) -> list[RowResult]:
    limit = limit or settings.SENTRA_IMPORT_PREVIEW_ROWS
    ctx.kind.start(ctx)
    batch: list[tuple[int, list[Any]]] = []
    for line, row in data_rows(table, layout):
        batch.append((line, row))
        if len(batch) >= limit:
            break
    return validate_batch(batch, layout, ctx, seen_keys={}, notes=True)


#: Values inside a message (quoted cell texts, codes, numbers, row numbers): masked so that messages that differ
#: only in them count as one reason.
_MESSAGE_VALUES = re.compile(r"'[^']*'|\"[^\"]*\"|\([^()]*\d[^()]*\)|\d[\d.,]*")
MAX_REASONS = 200  # distinct reasons tallied per run; more are counted together
REASON_LINES = 5  # row numbers kept per reason, as examples


class ReasonTally:
    """Why rows were refused or warned, counted over EVERY row of a run (not only the rows listed)."""

    def __init__(self) -> None:
        self.reasons: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.other = {"error": 0, "warning": 0}

    def add(self, messages: dict[str, str], severity: str, line: int, kind: ImportKind) -> None:
        for key, message in messages.items():
            reason = (severity, key, _MESSAGE_VALUES.sub("#", message))
            entry = self.reasons.get(reason)
            if entry is None:
                if len(self.reasons) >= MAX_REASONS:
                    self.other[severity] += 1
                    continue
                entry = self.reasons[reason] = {
                    "severity": severity,
                    "column": _column_label(key, kind),
                    "example": message,
                    "count": 0,
                    "lines": [],
                }
            entry["count"] += 1
            if len(entry["lines"]) < REASON_LINES:
                entry["lines"].append(line)

    def top(self, limit: int = 15) -> list[dict[str, Any]]:
        """The most frequent reasons first (refusals before warnings at equal counts)."""
        ordered = sorted(self.reasons.values(), key=lambda e: (-e["count"], e["severity"] != "error"))
        return [dict(e) for e in ordered[:limit]]


def _column_label(key: str, kind: ImportKind) -> str:
    if not key:
        return ""
    try:
        return str(kind.column(key).label)
    except KeyError:
        return key


@dataclass
class ImportOutcome:
    total: int = 0
    valid: int = 0
    rejected: int = 0
    out_of_scope: int = 0
    #: Rows saved with a warning (partial mode): counted in ``valid`` too.
    warned: int = 0
    reasons: ReasonTally = field(default_factory=ReasonTally)
    stats: CommitStats = field(default_factory=CommitStats)
    committed: bool = False
    dry_run: bool = False
    messages: list[dict[str, Any]] = field(default_factory=list)
    error_path: Path | None = None
    refused: str = ""
    #: The kind's own summary of a saved run (``ImportKind.result_notes``).
    notes: list[str] = field(default_factory=list)

    def as_result(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "valid": self.valid,
            "rejected": self.rejected,
            "out_of_scope": self.out_of_scope,
            "warned": self.warned,
            "committed": self.committed,
            "dry_run": self.dry_run,
            "reasons": self.reasons.top(),
            "reasons_other": sum(self.reasons.other.values()),
            "notes": self.notes,
            **self.stats.as_dict(),
        }


ProgressFn = Callable[[int, int | None, str | None], None]


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector runs every 700 allocations and, with 100,000s of live cells, its sweeps
    cost a third of an import. The engine creates no reference cycles worth collecting mid-run: collect rarely,
    and never scan the objects that existed before the run."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 100_000), max(threshold[1], 50), max(threshold[2], 50))
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def run_import(
    *,
    path: Path | str,
    filename: str,
    kind: ImportKind,
    user: Any,
    layout: Layout | None = None,
    partial: bool = False,
    dry_run: bool = False,
    options: dict[str, Any] | None = None,
    progress: ProgressFn | None = None,
    error_dir: Path | None = None,
    interface: str = "web",
) -> ImportOutcome:
    """Import one file. Raises :class:`FileRefused` for a file that cannot be read. Returns the outcome; when
    rows were refused or warned, ``outcome.error_path`` is an XLSX of those rows with an error column.
    ``interface`` (``"web"`` or ``"cli"``) picks how messages name the user's choices."""
    from sentra.core.importing.workbooks import RejectedRowsWriter

    kind.check_permission(user)
    table = inspect_file(path, filename)
    if table.row_count > settings.SENTRA_IMPORT_MAX_ROWS + HEADER_SCAN_ROWS:
        raise FileRefused(
            _(
                "Berkas berisi terlalu banyak baris ({rows}; paling banyak {limit}). Pecah menjadi beberapa berkas."
            ).format(rows=table.row_count, limit=settings.SENTRA_IMPORT_MAX_ROWS),
            "too_many_rows",
        )
    if layout is None:
        header_line, headers = find_header(table, kind)
        layout = Layout(header_line, headers, suggest_mapping(headers, kind))
    missing = missing_required(kind, layout.mapping)
    if missing:
        raise FileRefused(_("Kolom wajib belum dipetakan: {columns}.").format(columns=", ".join(missing)), "mapping")
    ctx = ImportContext(user=user, kind=kind, options=options or {}, partial=partial, interface=interface)
    kind.start(ctx)
    report = progress or (lambda done, total, phase: None)
    outcome = ImportOutcome(dry_run=dry_run)
    batch_size = settings.SENTRA_IMPORT_BATCH_SIZE
    max_rows = settings.SENTRA_IMPORT_MAX_ROWS  # read once: a lazy settings lookup per row costs 2% of an import
    estimated = max(0, table.row_count - layout.header_line)
    error_dir = Path(error_dir or tempfile.gettempdir())
    rejected = RejectedRowsWriter(error_dir, layout.headers)
    seen_keys: dict[Any, int] = {}
    write = not dry_run
    report(0, estimated, _("Memeriksa dan menyimpan baris…") if write else _("Memeriksa baris…"))
    try:
        # Batch N is written on a second thread while batch N+1 is checked (pipeline.py); one batch has nothing
        # to overlap with.
        overlap = write and settings.SENTRA_IMPORT_BACKGROUND_WRITES and estimated > batch_size
        with (
            _fewer_collections(),
            transaction.atomic() if write else contextlib.nullcontext(),
            background_writes() if overlap else contextlib.nullcontext(),
        ):
            doomed = False  # a row that refuses the whole file was seen: stop writing, keep checking
            batch: list[tuple[int, list[Any]]] = []

            def flush() -> None:
                nonlocal doomed
                checked = check_batch(batch, layout, ctx, seen_keys)
                lines, raws, warnings = checked.lines, checked.raws, checked.warnings
                for i in sorted(checked.errors):
                    outcome.rejected += 1
                    outcome.out_of_scope += int(i in checked.out_of_scope)
                    errors = checked.errors[i]
                    text = messages_text({**warnings.get(i, {}), **errors}, kind)
                    rejected.add(raws[i], text, lines[i])
                    outcome.reasons.add(errors, "error", lines[i], kind)
                    if len(outcome.messages) < MAX_REPORTED_ERRORS:
                        outcome.messages.append({"line": lines[i], "errors": errors, "text": text})
                for i in sorted(warnings):
                    if i in checked.errors:
                        continue
                    outcome.warned += 1
                    text = messages_text(warnings[i], kind)
                    rejected.warn(raws[i], text, lines[i])
                    outcome.reasons.add(warnings[i], "warning", lines[i], kind)
                    if len(outcome.messages) < MAX_REPORTED_ERRORS:
                        outcome.messages.append(
                            {"line": lines[i], "errors": warnings[i], "text": text, "warning": True}
                        )
                good = checked.ok_indices()
                outcome.valid += len(good)
                if outcome.out_of_scope or (outcome.rejected and not partial):
                    doomed = True
                if write and good and not doomed:
                    outcome.stats.add(kind.commit(BatchRows(checked, good), ctx))
                batch.clear()

            for line, row in data_rows(table, layout):
                batch.append((line, row))
                outcome.total += 1
                if outcome.total > max_rows:
                    raise FileRefused(
                        _("Berkas berisi lebih dari {limit} baris data. Pecah menjadi beberapa berkas.").format(
                            limit=max_rows
                        ),
                        "too_many_rows",
                    )
                if len(batch) >= batch_size:
                    flush()
                    report(outcome.total, max(estimated, outcome.total), None)
            if batch:
                flush()
            if outcome.total == 0:
                raise FileRefused(_("Tidak ada baris data di bawah baris judul kolom."), "empty")
            if doomed and write:
                transaction.set_rollback(True)  # all or nothing: what was written goes
        report(outcome.total, outcome.total, None)
        outcome.error_path = rejected.close() if outcome.rejected or outcome.warned else None
        if outcome.out_of_scope:
            outcome.stats = CommitStats()
            outcome.refused = _(
                "{count} baris berada di luar wilayah kewenangan Anda ({scope}), jadi seluruh berkas ditolak dan "
                "tidak ada yang disimpan. Hapus baris tersebut (lihat berkas baris ditolak) lalu unggah ulang."
            ).format(count=outcome.out_of_scope, scope=scope_label(ctx))
            return outcome
        if outcome.rejected and not partial:
            outcome.stats = CommitStats()
            if interface == "cli":
                outcome.refused = _(
                    "{count} dari {total} baris bermasalah, jadi tidak ada yang disimpan. Perbaiki baris dalam "
                    "berkas baris ditolak lalu jalankan ulang — atau jalankan ulang dengan --partial untuk "
                    "menyimpan baris yang benar saja."
                ).format(count=outcome.rejected, total=outcome.total)
            else:
                outcome.refused = _(
                    "{count} dari {total} baris bermasalah, jadi tidak ada yang disimpan. Unduh berkas baris "
                    'ditolak, perbaiki isinya, lalu unggah ulang — atau pilih "simpan baris yang benar saja".'
                ).format(count=outcome.rejected, total=outcome.total)
            return outcome
        if dry_run or not outcome.valid:
            return outcome
        outcome.committed = True
        outcome.notes = [str(note) for note in kind.result_notes(ctx)]
        return outcome
    finally:
        if outcome.error_path is None:
            rejected.discard()
