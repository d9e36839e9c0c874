"""The declarative import-kind API . See docs/importing.md.

An *import kind* describes one kind of record a spreadsheet can bring in: its columns (with the header names
agencies use, in Indonesian and English), how each cell is parsed, how a row is checked as a whole, its
natural key, which regency/city a row belongs to (for the scope check), and ``commit``, which upserts a batch
of clean rows in bulk and records the audit trail. The engine (reading files, finding the header row,
mapping, preview, rejected-rows file, template, jobs, CLI) is shared; an app only registers its kinds from
its ``AppConfig.ready()``::

    from sentra.core.importing import register_kind
    register_kind(BusinessImport())

Core never imports a domain app: it only knows the kinds that were registered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from sentra.core.importing import cells

Parser = Callable[[Any], Any]


def normalise_header(value: Any) -> str:
    """``" Nama  Usaha*) "`` → ``"nama usaha"``: case, accents, punctuation, footnote marks and spaces folded."""
    text = unicodedata.normalize("NFKD", cells.cell_text(value)).encode("ascii", "ignore").decode()
    text = re.sub(r"\(.*?\)", " ", text.lower())
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Column:
    """One column of an import kind.

    Attributes:
        key: the name the kind's code uses (``"nib"``).
        label: the Indonesian header written in templates and rejected-row files (``"NIB"``).
        aliases: other headers that mean this column, Indonesian and English (``"nomor induk berusaha"``).
        parse: cell → value; raises ``ValidationError`` in plain Indonesian (see :mod:`.cells`).
        required: an empty cell is an error.
        empty: extra cell texts meaning "not filled" for this column only (e.g. ``("0",)`` for a year).
        example: the example row's value in the template.
        help: a short explanation written under the header in the template.
    """

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    parse: Parser = field(default=cells.text())
    required: bool = False
    empty: tuple[str, ...] = ()
    example: Any = ""
    help: StrOrPromise = ""

    def headers(self) -> set[str]:
        return {normalise_header(h) for h in (self.key, self.label, *self.aliases)} - {""}

    def clean(self, value: Any) -> Any:
        if cells.is_empty(value, self.empty) or (
            self.empty and not isinstance(value, str) and cells.cell_text(value) in self.empty
        ):
            if self.required:
                raise ValidationError(_("Wajib diisi."), code="required")
            return None
        result = self.parse(value)
        if self.required and result in (None, ""):
            raise ValidationError(_("Wajib diisi."), code="required")
        return result

    def clean_many(self, values: Sequence[Any]) -> tuple[list[Any], dict[int, str]]:
        """:meth:`clean` for a whole column: (values, {row index: message}). Each distinct cell is parsed once:
        region names, KBLI codes, numbers and dates repeat a lot in a register."""
        parsed: dict[Any, Any] = {}
        bad: dict[Any, str] = {}
        clean, parse, required = self.clean, self.parse, self.required
        # A text without outer spaces that is not an "empty" marker is filled: parse it directly (what ``clean``
        # would do, without its emptiness checks; most distinct cells are such texts: names, addresses, NIBs).
        direct = not self.empty
        empty = cells.EMPTY
        # Cells of different types may compare equal (1 == 1.0 == True) yet parse differently: key them apart.
        plain = set(map(type, values)) <= _PLAIN_TYPES
        keys: Sequence[Any] = values if plain else [(v.__class__, v) for v in values]
        for key in dict.fromkeys(keys):
            value = key if plain else key[1]
            try:
                if (
                    direct
                    and value.__class__ is str
                    and value
                    and value not in empty
                    and not value[0].isspace()
                    and not value[-1].isspace()
                ):
                    result = parse(value)
                    if required and (result is None or result == ""):
                        raise ValidationError(_("Wajib diisi."), code="required")
                    parsed[key] = result
                else:
                    parsed[key] = clean(value)
            except ValidationError as exc:
                parsed[key] = None
                bad[key] = " ".join(exc.messages)
        result = list(map(parsed.__getitem__, keys))
        errors = {i: bad[k] for i, k in enumerate(keys) if k in bad} if bad else {}
        return result, errors


_PLAIN_TYPES = {str, type(None)}


class RowError(Exception):
    """A row that cannot be imported. ``errors`` maps a column key (or ``""`` for the whole row) to messages."""

    def __init__(self, errors: dict[str, str] | str):
        self.errors = {"": errors} if isinstance(errors, str) else dict(errors)
        super().__init__("; ".join(self.errors.values()))


class Batch:
    """One chunk of a file, column by column: the engine's working form (cheap for 100,000s of rows).

    ``columns`` maps a column key (and any key a kind derives, e.g. ``"region"``) to one value per row;
    ``errors`` maps a row index to ``{column key or "": message}``.
    """

    def __init__(
        self,
        lines: list[int],
        raws: list[list[Any]],
        columns: dict[str, list[Any]],
        errors: dict[int, dict[str, str]] | None = None,
    ):
        self.lines = lines
        self.raws = raws
        self.columns = columns
        self.errors: dict[int, dict[str, str]] = errors if errors is not None else {}
        #: Remarks on rows that are still imported (``warn``): reported beside the refused rows, never refusing.
        self.warnings: dict[int, dict[str, str]] = {}
        self.out_of_scope: set[int] = set()
        #: The column keys the file has (mapped from its headers); the others hold ``None`` for every row. A kind
        #: that updates records may leave a value alone when its column is not in the file at all.
        self.mapped: set[str] = set(columns)

    def __len__(self) -> int:
        return len(self.lines)

    def ok_indices(self) -> list[int]:
        errors = self.errors
        return [i for i in range(len(self.lines)) if i not in errors] if errors else list(range(len(self.lines)))

    def column(self, key: str) -> list[Any]:
        """The values of ``key`` (a new column of ``None`` when the batch has none yet)."""
        col = self.columns.get(key)
        if col is None:
            col = self.columns[key] = [None] * len(self.lines)
        return col

    def row(self, index: int) -> dict[str, Any]:
        return {key: col[index] for key, col in self.columns.items()}

    def set_row(self, index: int, row: dict[str, Any]) -> None:
        for key, value in row.items():
            self.column(key)[index] = value

    def reject(self, index: int, errors: dict[str, str]) -> None:
        self.errors.setdefault(index, {}).update(errors)

    def warn(self, index: int, warnings: dict[str, str]) -> None:
        """Keep the row but report ``{column key or "": message}`` with it (counted apart from refused rows)."""
        self.warnings.setdefault(index, {}).update(warnings)


class BatchRows(Sequence[dict[str, Any]]):
    """The clean rows of a :class:`Batch` as the dicts ``ImportKind.commit`` takes, built only when read. A kind
    that knows this type may read ``batch``/``indices`` column by column instead."""

    def __init__(self, batch: Batch, indices: list[int]):
        self.batch = batch
        self.indices = indices

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, slice):
            return [self.batch.row(i) for i in self.indices[item]]
        return self.batch.row(self.indices[item])

    def __iter__(self) -> Any:
        return (self.batch.row(i) for i in self.indices)

    def column(self, key: str) -> list[Any]:
        col = self.batch.column(key)
        return [col[i] for i in self.indices] if len(self.indices) != len(col) else list(col)


def _row_errors(exc: RowError | ValidationError) -> dict[str, str]:
    if isinstance(exc, RowError):
        return exc.errors
    if hasattr(exc, "error_dict"):
        return {k: " ".join(v) for k, v in exc.message_dict.items()}
    return {"": " ".join(exc.messages)}


@dataclass
class CommitStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: The id of the record each row of one ``commit`` call created, updated or left unchanged, in the order of the
    #: rows (a kind that does not know them leaves it empty). The REST API answers with them
    #: (``POST /businesses/bulk``). Not summed by :meth:`add`: a file import does not need them.
    ids: list[Any] = field(default_factory=list)

    def add(self, other: CommitStats) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class ImportContext:
    """What one run of an import knows: the acting user, options, and the kind's per-run caches."""

    user: Any
    kind: ImportKind
    options: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)
    #: The run saves the valid rows and returns the rest ("simpan baris yang benar saja" / ``--partial``). A kind
    #: may then keep a row it would otherwise refuse, with a warning (``Batch.warn``). False for previews.
    partial: bool = False
    #: Where the run was started: ``"web"`` or ``"cli"``, so messages name the choice the user actually has.
    interface: str = "web"

    @property
    def partial_choice(self) -> str:
        """How the user asks for "save the valid rows only" where they are: a CLI flag or the page's option."""
        return "--partial" if self.interface == "cli" else _('"simpan baris yang benar saja"')

    @property
    def scope(self) -> Any:
        return getattr(self.user, "scope", None)

    def region_allowed(self, region_id: str | None) -> bool:
        """May the user add or change records of this regency/city (STYLE D.5)?"""
        user = self.user
        if user is None:
            return True  # the system (CLI without --user)
        if user.is_superuser:
            return True
        scope = self.scope
        if scope is None:
            return False
        if scope.kind == "national":
            return True
        if scope.kind == "region":
            return region_id is not None and region_id in scope.region_ids
        return False


class ImportKind:
    """Subclass, fill in the class attributes and override the hooks; then ``register_kind(MyKind())``."""

    #: Unique key, used in URLs, the CLI (``sentra import business file.xlsx``) and saved mappings.
    key: str = ""
    #: Indonesian name shown to users ("Usaha (IKM) dan pelaku usaha").
    label: StrOrPromise = ""
    #: The permission needed to import (``"registry.import_business"``).
    permission: str = ""
    columns: Sequence[Column] = ()
    #: How re-imports recognise a record, in words (shown on the upload page and in the template).
    natural_key_help: StrOrPromise = ""
    #: Where a user goes after a successful import (a URL name without arguments).
    list_url_name: str = ""

    # --- hooks ---------------------------------------------------------------------------------------------

    def start(self, ctx: ImportContext) -> None:
        """Build per-run caches (region names, KBLI codes) in ``ctx.cache``. Called once per run."""

    def prepare_batch(self, rows: list[dict[str, Any]], ctx: ImportContext) -> None:
        """Look up, in bulk, what ``clean_row`` will need for these rows (existing records by key, ...)."""

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> dict[str, Any]:
        """Check a row as a whole and derive values; raise :class:`RowError`. Return the row (may be changed)."""
        return row

    def clean_columns(self, batch: Batch, ctx: ImportContext) -> None:
        """Check the rows of a batch that parsed cleanly: record errors with ``batch.reject`` and derived values
        in ``batch.columns``. The default runs ``prepare_batch`` then ``clean_row`` row by row; a kind may
        override it to work column by column, as long as ``clean_row`` gives the same answers."""
        ok = batch.ok_indices()
        rows = [batch.row(i) for i in ok]
        self.prepare_batch(rows, ctx)
        for index, row in zip(ok, rows, strict=True):
            try:
                batch.set_row(index, self.clean_row(row, ctx))
            except (RowError, ValidationError) as exc:
                batch.reject(index, _row_errors(exc))

    def batch_regions(self, batch: Batch, indices: list[int]) -> list[str | None]:
        """``row_region`` for the given rows of a batch (override to read a column directly)."""
        return [self.row_region(batch.row(i)) for i in indices]

    def batch_keys(self, batch: Batch, indices: list[int]) -> list[Any]:
        """``natural_key`` for the given rows of a batch (override to read columns directly)."""
        return [self.natural_key(batch.row(i)) for i in indices]

    def row_region(self, row: dict[str, Any]) -> str | None:
        """The regency/city code a clean row belongs to, for the scope check."""
        return row.get("region")

    def natural_key(self, row: dict[str, Any]) -> Any:
        """A hashable key: two rows of one file with the same key are duplicates. None: no check."""
        return None

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        """Remarks shown in the preview for a valid row (e.g. the address-match confidence)."""
        return []

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        """Upsert a batch of clean rows by natural key, in bulk, with the audit trail. Runs inside the run's
        single transaction; must leave the database unchanged when a row is identical to what is stored.

        Should fill ``CommitStats.ids`` with the id of the record each row created or matched, in row order. With
        ``ctx.options["create_only"]`` (set by callers such as the REST API, never by the upload form) every row is
        a new record: no natural-key matching."""
        raise NotImplementedError

    def option_fields(self, user: Any) -> dict[str, Any]:
        """Extra form fields on the upload page (e.g. a default regency/city); their values reach
        ``ctx.options``. Values must be JSON-serialisable."""
        return {}

    def code_sheets(self) -> dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]:
        """Extra template sheets of valid codes: ``{sheet name: (headers, rows)}``."""
        return {}

    def result_notes(self, ctx: ImportContext) -> list[str]:
        """Lines for the result page after a run that saved rows (e.g. how many took a seat, how many wait)."""
        return []

    def result_url(self, options: dict[str, Any]) -> str:
        """Where the result page sends the user to see what was imported (default: ``list_url_name``)."""
        from django.urls import reverse

        return reverse(self.list_url_name) if self.list_url_name else ""

    # --- helpers -------------------------------------------------------------------------------------------

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @staticmethod
    def chosen_record(ctx: ImportContext, option: str, model: Any, not_found: str) -> Any:
        """The record the user chose as an option (``option`` holds its id), read again in the user's scope for
        changing: one outside it, gone or never there is ``not_found`` (as its page answers 404)."""
        pk = str(ctx.options.get(option) or "")
        record = model.objects.filter(pk=pk).first() if pk.isdigit() else None
        if record is None or (
            ctx.user is not None and not model.objects.visible_to(ctx.user, "change").filter(pk=record.pk).exists()
        ):
            raise PermissionDenied(not_found)
        return record

    def check_permission(self, user: Any) -> None:
        if user is None:
            return
        if not (user.is_superuser or (self.permission and user.has_perm(self.permission))):
            raise PermissionDenied(_("Anda tidak berwenang mengimpor {label}.").format(label=self.label))


_KINDS: dict[str, ImportKind] = {}


def register_kind(kind: ImportKind) -> ImportKind:
    """Register an import kind (call from ``AppConfig.ready()``). Registering the same key twice replaces it."""
    if not kind.key or not kind.columns:
        raise ValueError("an import kind needs a key and columns")
    keys = [c.key for c in kind.columns]
    if len(keys) != len(set(keys)):
        raise ValueError(f"import kind {kind.key}: duplicate column keys")
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> ImportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(
            _("Jenis impor '{key}' tidak dikenal. Pilihan: {keys}.").format(key=key, keys=", ".join(sorted(_KINDS)))
        ) from None


def all_kinds() -> list[ImportKind]:
    return sorted(_KINDS.values(), key=lambda k: k.label)


def default_region_option(user: Any, *, empty_label: StrOrPromise, help_text: StrOrPromise) -> dict[str, Any]:
    """The ``default_region`` option of a kind's upload form: the regency/city of the user's scope for the rows
    that name none (preselected when the scope has only one); ``empty_label`` says what happens without it."""
    from django import forms

    from sentra.core.filters import scoped_regencies

    regencies = list(scoped_regencies(user).values_list("code", "name"))
    return {
        "default_region": forms.ChoiceField(
            label=_("Kabupaten/kota bawaan"),
            choices=[("", empty_label), *regencies],
            required=False,
            initial=regencies[0][0] if len(regencies) == 1 else "",
            help_text=help_text,
        )
    }
