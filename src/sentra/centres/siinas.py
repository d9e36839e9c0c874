"""Exchange with SIINas: the business semester reports of a regency/city and a period as a file in SIINas's field
order, and the import kind that brings a file of that shape back.

The small-industry data of SIINas (Permenperin 13/2025 Pasal 7, docs/domain.md §9) is what the business semester
self-report collects (``reports.BUSINESS_FIELDS``); the file has the business's identity (NIB, name, KBLI 2020,
regency/city), the period, then those fields in the form's order, then the report's state. The headers are the
form's Indonesian labels in every language: the file is an exchange format, not a page.

Export (``centres.siinas``) goes through the export engine: officers only (``periodic.review_submission``), the
reports they may see (``Submission.objects.visible_to``), narrowed by ``region`` and ``period``. Import
(``centres_siinas``) goes through the import engine: one row per business and period, matched by NIB and period;
a row equal to the stored report changes nothing (so an exported file imports back unchanged), a new or changed
one is written through the periodic services (``submission_start`` and ``submission_save``, audited there) as a
draft the officer then submits or accepts; a report already submitted or accepted is not overwritten. A row whose
business lies outside the importer's regions is refused by the engine's scope check, which names the region.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import django_filters
from django import forms
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.centres.reports import BUSINESS_FIELDS, BUSINESS_SEMESTER
from sentra.core.exporting import ExportColumn, ExportSpec, register_export
from sentra.core.filters import NarrowingFilterSetMixin, RegionCodeFilter
from sentra.core.forms import BootstrapForm
from sentra.core.importing import Column, CommitStats, ImportContext, ImportKind, cells, register_kind
from sentra.core.importing.kinds import Batch
from sentra.periodic.models import EDITABLE_STATES, Submission, SubmissionState
from sentra.periodic.periods import Period, PeriodType, parse_period
from sentra.periodic.registry import ReportField
from sentra.registry.models import Business

EXPORT_KEY = "centres.siinas"
IMPORT_KEY = "centres_siinas"
PERMISSION = "periodic.review_submission"

#: The export's column types and the import's parsers per report-field kind.
EXPORT_TYPES = {"money": "money", "decimal": "number", "int": "int", "text": "text"}
TEXT_MAX = 2000  # what ``periodic.services`` keeps of a text answer


def _indonesian(text: Any) -> str:
    with translation.override("id"):
        return str(text)


#: The identity columns before the SIINas fields: (import key, header, export path, export type, width).
IDENTITY = (
    ("nib", "NIB", "nib", "text", 16),
    ("business_name", "Nama usaha", "business_name", "text", 32),
    ("kbli", "KBLI 2020", "kbli_code", "text", 9),
    ("region_code", "Kode kabupaten/kota", "region_id", "text", 10),
    ("region_name", "Kabupaten/kota", "region__name", "text", 22),
    ("period", "Periode", "period", "text", 9),
)
STATE_HEADER = "Status laporan"


def field_header(field: ReportField) -> str:
    return _indonesian(field.label)


# --- Export ----------------------------------------------------------------------------------------------------


class SemesterPeriodField(forms.CharField):
    """A semester code (``2025S1``), cleaned to the code; anything else is a clear error (the list then shows
    nothing, ``NarrowingFilterSetMixin``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> str | None:
        code = (super().clean(value) or "").strip().upper()
        if not code:
            return None
        period = parse_period(code)
        if period.period_type != PeriodType.SEMESTER:
            raise forms.ValidationError(_("Laporan SIINas per semester: gunakan kode seperti 2025S1 atau 2025S2."))
        return period.code


class SemesterPeriodFilter(django_filters.Filter):
    field_class = SemesterPeriodField


class SiinasFilterSet(NarrowingFilterSetMixin, django_filters.FilterSet):
    region = RegionCodeFilter(field_name="region", label=gettext_lazy("Kabupaten/kota"))
    period = SemesterPeriodFilter(field_name="period", label=gettext_lazy("Periode (semester)"))
    state = django_filters.ChoiceFilter(
        choices=SubmissionState.choices, label=gettext_lazy("Status"), empty_label=gettext_lazy("Semua")
    )
    strict_filters = ("region", "period")

    class Meta:
        model = Submission
        form = BootstrapForm
        fields = ["region", "period", "state"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


def siinas_reports(user: Any) -> QuerySet:
    """The business semester reports the user may see (officers: their regions)."""
    return Submission.objects.visible_to(user).filter(form_code=BUSINESS_SEMESTER)


def _business(field: str) -> Subquery:
    return Subquery(Business.objects.filter(pk=OuterRef("subject_id")).values(field)[:1])


def _state_label(value: str) -> str:
    return _indonesian(dict(SubmissionState.choices).get(value, value))


def _export_columns() -> tuple[ExportColumn, ...]:
    columns = [ExportColumn(header, path, kind, width=width) for _key, header, path, kind, width in IDENTITY]
    for field in BUSINESS_FIELDS:
        columns.append(
            ExportColumn(
                field_header(field),
                f"answer_{field.name}",
                EXPORT_TYPES[field.kind],
                transform=_export_value(field),
                width=36 if field.multiline else 18,
            )
        )
    columns.append(ExportColumn(STATE_HEADER, "state", transform=_state_label, width=12))
    return tuple(columns)


def _export_value(field: ReportField) -> Any:
    """A stored answer as the file's cell: numbers as numbers (the form stores decimals as text), text as text."""
    if field.kind == "text":
        return lambda v: "" if v is None else str(v)

    def number(value: Any) -> Any:
        if value in (None, ""):
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None

    return number


def export_spec() -> ExportSpec:
    return ExportSpec(
        key=EXPORT_KEY,
        label=gettext_lazy("Laporan IKM untuk SIINas"),
        permission=PERMISSION,
        queryset=siinas_reports,
        filterset_class=SiinasFilterSet,
        columns=_export_columns(),
        ordering=("region_id", "period_start", "business_name", "id"),
        filename="siinas-industri-kecil",
        annotations={
            "nib": _business("nib"),
            "business_name": _business("name"),
            "kbli_code": _business("kbli__code"),
            # The answers as the stored text (``->>``): a JSON number read back through Python would pass through
            # a float, and "1500000.00" must stay exactly that.
            **{f"answer_{f.name}": KeyTextTransform(f.name, "data") for f in BUSINESS_FIELDS},
        },
    )


# --- Import ----------------------------------------------------------------------------------------------------


def _parser(field: ReportField) -> Any:
    if field.kind == "int":
        return cells.integer()
    if field.kind in ("money", "decimal"):
        return cells.number()
    return cells.text(TEXT_MAX)


def _import_columns() -> tuple[Column, ...]:
    identity = (
        Column("nib", "NIB", ("nomor induk berusaha", "no nib"), cells.digits(13, label="NIB"), required=True,
               example="9120001234567"),
        Column("business_name", "Nama usaha", ("nama perusahaan", "nama"), cells.text(200),
               help=gettext_lazy("Hanya untuk dibaca; usaha dikenali dari NIB.")),
        Column("kbli", "KBLI 2020", ("kbli", "kode kbli"), cells.text(10),
               help=gettext_lazy("Hanya untuk dibaca; KBLI diubah di halaman usaha.")),
        Column("region_code", "Kode kabupaten/kota", ("kode wilayah", "kode kab kota"), cells.region_code,
               example="74.71"),
        Column("region_name", "Kabupaten/kota", ("kabupaten kota", "kab kota"), cells.text(100)),
        Column("period", "Periode", ("semester", "periode laporan"), cells.text(10), required=True, example="2025S1",
               help=gettext_lazy("Kode semester: 2025S1 (Januari–Juni) atau 2025S2 (Juli–Desember).")),
    )  # fmt: skip
    figures = tuple(
        Column(
            field.name,
            field_header(field),
            (field.name.replace("_", " "),),
            _parser(field),
            example="" if field.kind == "text" else "0",
        )
        for field in BUSINESS_FIELDS
    )
    state = Column("state", STATE_HEADER, ("status",), cells.text(30), help=gettext_lazy("Diabaikan saat impor."))
    return (*identity, *figures, state)


def _same(field: ReportField, stored: Any, value: Any) -> bool:
    """A stored answer equals an imported cell: numbers by value (``"1500000.00"`` = 1500000), text as text."""
    if field.kind == "text":
        return (stored or "") == (value or "")
    if stored in (None, "") or value is None:
        return stored in (None, "") and value is None
    try:
        return Decimal(str(stored)) == Decimal(str(value))
    except InvalidOperation:
        return False


def _answer(field: ReportField, value: Any) -> Any:
    """An imported cell as ``periodic.services`` takes it."""
    if value is None:
        return None if field.kind != "text" else ""
    return str(value) if field.kind != "int" else int(value)


class SiinasImport(ImportKind):
    key = IMPORT_KEY
    label = gettext_lazy("Laporan semester IKM (SIINas)")
    permission = PERMISSION
    list_url_name = "periodic:submission_list"
    natural_key_help = gettext_lazy(
        "Laporan dikenali dari NIB dan periode: baris yang sama dengan laporan tersimpan tidak mengubah apa pun, "
        "baris baru atau berbeda disimpan sebagai konsep; laporan yang sudah dikirim atau diterima tidak ditimpa."
    )

    def __init__(self) -> None:
        self.columns = _import_columns()

    def start(self, ctx: ImportContext) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.core.exceptions import PermissionDenied

        if ctx.user is None:  # the reports are written as someone (audit, "filled on behalf"): name the officer
            raise PermissionDenied(_("Impor laporan SIINas dijalankan atas nama petugas: sebutkan --user."))

        ctx.cache["businesses"] = {}
        ctx.cache["ctype"] = ContentType.objects.get_for_model(Business)
        ctx.cache["today"] = timezone.localdate()

    def clean_columns(self, batch: Batch, ctx: ImportContext) -> None:
        ok = batch.ok_indices()
        if not ok:
            return
        # Only the columns the file has are compared and written: a file without, say, the water column leaves
        # the stored water figure alone instead of emptying it.
        present = [f for f in BUSINESS_FIELDS if f.name in batch.mapped]
        ctx.cache["present"] = present
        col = batch.column
        periods, region_out, same_out, exists_out = col("_period"), col("region"), col("_same"), col("_exists")
        nibs, codes = col("nib"), col("region_code")
        for i in ok:
            try:
                period = parse_period(col("period")[i])
            except forms.ValidationError as exc:
                batch.reject(i, {"period": " ".join(exc.messages)})
                continue
            if period.period_type != PeriodType.SEMESTER:
                batch.reject(i, {"period": _("Laporan SIINas per semester: gunakan kode seperti 2025S1 atau 2025S2.")})
            elif period.start > ctx.cache["today"]:
                batch.reject(i, {"period": _("Semester {code} belum dimulai.").format(code=period.code)})
            else:
                periods[i] = period
        ok = batch.ok_indices()
        businesses: dict[str, Business] = ctx.cache["businesses"]
        wanted = {nibs[i] for i in ok} - businesses.keys()
        if wanted:
            found = Business.objects.alive().filter(nib__in=wanted).select_related("region")
            businesses.update({b.nib: b for b in found if b.nib})
        stored = self._stored(batch, ok, ctx)
        for i in ok:
            business = businesses.get(nibs[i])
            if business is None:
                batch.reject(i, {"nib": _("Tidak ada usaha dengan NIB {nib}.").format(nib=nibs[i])})
                continue
            # The engine's scope check reads this column and names the region of a row outside the user's.
            region_out[i] = business.region_id
            code = codes[i]
            if code and code != business.region_id:
                batch.reject(
                    i,
                    {
                        "region_code": _(
                            "Usaha dengan NIB {nib} terdaftar di {region} ({code}), bukan {given}."
                        ).format(nib=business.nib, region=business.region.name, code=business.region_id, given=code)
                    },
                )
                continue
            submission = stored.get((business.pk, periods[i].code))
            if submission is None:
                continue
            exists_out[i] = True
            if all(_same(f, submission.data.get(f.name), col(f.name)[i]) for f in present):
                same_out[i] = True
            elif submission.state not in EDITABLE_STATES:
                batch.reject(
                    i,
                    {
                        "": _(
                            "Laporan {period} usaha ini berstatus {state} dan berbeda dengan baris ini; laporan itu "
                            "tidak ditimpa lewat impor. Minta pengembalian laporan bila isinya perlu diubah."
                        ).format(period=periods[i].label, state=submission.get_state_display())
                    },
                )

    def _stored(self, batch: Batch, indices: list[int], ctx: ImportContext) -> dict[tuple[int, str], Submission]:
        """The stored reports of this batch's businesses and periods, in one query."""
        businesses = ctx.cache["businesses"]
        ids = {businesses[n].pk for n in (batch.column("nib")[i] for i in indices) if n in businesses}
        codes = {p.code for p in (batch.column("_period")[i] for i in indices) if p is not None}
        if not ids or not codes:
            return {}
        rows = Submission.objects.filter(
            form_code=BUSINESS_SEMESTER, subject_type=ctx.cache["ctype"], subject_id__in=ids, period__in=codes
        )
        return {(s.subject_id, s.period): s for s in rows}

    def batch_regions(self, batch: Batch, indices: list[int]) -> list[str | None]:
        regions = batch.column("region")
        return [regions[i] for i in indices]

    def natural_key(self, row: dict[str, Any]) -> Any:
        return (row["nib"], str(row["period"]).strip().upper())

    def row_notes(self, row: dict[str, Any]) -> list[str]:
        return [_("Sama dengan laporan tersimpan: tidak diubah.")] if row.get("_same") else []

    def commit(self, rows: Sequence[dict[str, Any]], ctx: ImportContext) -> CommitStats:
        from sentra.periodic.registry import report_form
        from sentra.periodic.services import submission_save, submission_start

        form = report_form(BUSINESS_SEMESTER)
        if form is None:  # registered by this app's ready() with this kind: only a broken start-up gets here
            raise RuntimeError("the business semester report form is not registered")
        businesses = ctx.cache["businesses"]
        present = {f.name for f in ctx.cache["present"]}
        stats = CommitStats()
        for row in rows:
            if row.get("_same"):
                stats.unchanged += 1
                continue
            period: Period = row["_period"]
            submission = submission_start(actor=ctx.user, form=form, subject=businesses[row["nib"]], period=period)
            data = {
                f.name: _answer(f, row.get(f.name)) if f.name in present else submission.data.get(f.name)
                for f in BUSINESS_FIELDS
            }
            submission_save(actor=ctx.user, submission=submission, data=data)
            if not row.get("_exists"):
                stats.created += 1
            else:
                stats.updated += 1
            stats.ids.append(submission.pk)
        return stats


def register() -> None:
    register_export(export_spec())
    register_kind(SiinasImport())
