"""Open data: the tables of the public statistics pages as datasets (CSV, JSON and metadata) at stable URLs.

Every figure comes from the same linked suppression as the pages (``selectors.public_statistics_linked``), so a
file never holds a number the pages hide: a hidden cell is empty in CSV and ``null`` in JSON, and the variable's
status column says why (``rahasia``). The primary cells (fewer than ``MIN_CELL`` businesses) and the complementary
ones carry the same status on purpose: telling them apart would tell a reader that a primary cell is 1 or 2 and a
complementary count at least ``MIN_CELL``, bounds the suppression's audit does not assume a reader has.

One dataset per table of the pages. A dataset holds the figures of every page at once (the nation, its provinces,
their regencies/cities), one row per region, since a province's row on the national page and the totals line of
its own page are the same figure. ``?wilayah=<code>`` narrows a file to one page: that region's row and its
sub-regions' rows.

The metadata follows the elements of Satu Data Indonesia's statistical metadata (Perpres 39/2019 Pasal 8–9:
metadata of the activity, of the indicator and of the variables): title, data producer, period and frequency,
unit, definition and concept, how the data is collected, the small-cell rule, licence, last update and the
variables with their name, type, unit and definition.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from sentra.reports.suppression import MIN_CELL, TOTAL, LinkedStatistics

#: The status of a hidden cell, in the variable's ``_status`` column (empty when the figure is shown).
HIDDEN = "rahasia"
LICENCE = {"nama": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/deed.id"}
LEVEL_NATION, LEVEL_PROVINCE, LEVEL_REGENCY = "nasional", "provinsi", "kabupaten_kota"


@dataclass(frozen=True)
class Variable:
    name: str
    #: ``string`` or ``integer`` (the JSON type; CSV holds the same values as text)
    type: str
    label: StrOrPromise
    definition: StrOrPromise
    unit: StrOrPromise = ""
    #: a figure that may be hidden: it has a ``<name>_status`` companion
    suppressible: bool = False
    #: may be empty (CSV) or null (JSON): a hidden figure, an empty status, the nation's missing code
    nullable: bool = False

    @property
    def may_be_empty(self) -> bool:
        return self.nullable or self.suppressible


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: StrOrPromise
    description: StrOrPromise
    unit: StrOrPromise
    concept: StrOrPromise
    figures: tuple[Variable, ...]

    @property
    def variables(self) -> list[Variable]:
        """Every column in file order: the region's identity, then each figure followed by its status."""
        out = list(REGION_VARIABLES)
        for var in self.figures:
            out.append(var)
            if var.suppressible:
                out.append(
                    Variable(
                        f"{var.name}_status",
                        "string",
                        _label_status(var.label),
                        gettext_lazy(
                            "Kosong bila angka ditampilkan; “rahasia” bila angka disembunyikan menurut aturan "
                            "penekanan sel kecil."
                        ),
                        nullable=True,
                    )
                )
        return out

    @property
    def columns(self) -> list[str]:
        return [v.name for v in self.variables]


def _label_status(label: StrOrPromise) -> str:
    return _("Status: {label}").format(label=label)


REGION_VARIABLES = (
    Variable(
        "kode_wilayah",
        "string",
        gettext_lazy("Kode wilayah"),
        gettext_lazy("Kode wilayah Kemendagri (provinsi 2 angka, kabupaten/kota 2.2 angka); kosong untuk nasional."),
        nullable=True,
    ),
    Variable("nama_wilayah", "string", gettext_lazy("Nama wilayah"), gettext_lazy("Nama wilayah menurut Kemendagri.")),
    Variable(
        "tingkat_wilayah",
        "string",
        gettext_lazy("Tingkat wilayah"),
        gettext_lazy("nasional, provinsi atau kabupaten_kota."),
    ),
    Variable(
        "kode_induk",
        "string",
        gettext_lazy("Kode wilayah induk"),
        gettext_lazy("Kode provinsi untuk kabupaten/kota; kosong untuk provinsi dan nasional."),
        nullable=True,
    ),
)

_BUSINESS_UNIT = gettext_lazy("usaha")


def _count(name: str, label: StrOrPromise, definition: StrOrPromise) -> Variable:
    return Variable(name, "integer", label, definition, _BUSINESS_UNIT, suppressible=True)


#: Column keys of the linked statistics (``selectors.PUBLIC_SIZE_COLUMNS`` and ``TOTAL``) → variable names.
SIZE_VARIABLES = {
    "kecil": "usaha_kecil",
    "menengah": "usaha_menengah",
    "besar": "usaha_besar",
    "": "usaha_belum_ditentukan",
    TOTAL: "usaha_jumlah",
}

SIZE_DATASET = Dataset(
    slug="usaha-ikm-menurut-klasifikasi-industri",
    title=gettext_lazy("Usaha IKM menurut klasifikasi industri"),
    description=gettext_lazy(
        "Jumlah usaha industri kecil dan menengah terdaftar per wilayah menurut klasifikasi industri "
        "(Permenperin 64/2016): nasional, provinsi dan kabupaten/kota."
    ),
    unit=_BUSINESS_UNIT,
    concept=gettext_lazy(
        "Usaha IKM adalah usaha industri pengolahan yang tercatat di registri Sentra. Klasifikasi industri "
        "(kecil, menengah, besar) mengikuti Permenperin 64/2016 menurut tenaga kerja dan nilai investasi; usaha yang "
        "klasifikasinya belum dicatat dihitung pada kolom belum ditentukan. Angka wilayah induk adalah jumlah angka "
        "wilayah di bawahnya."
    ),
    figures=(
        _count(
            "usaha_kecil",
            gettext_lazy("Industri kecil"),
            gettext_lazy("Jumlah usaha IKM di wilayah ini dengan klasifikasi industri kecil."),
        ),
        _count(
            "usaha_menengah",
            gettext_lazy("Industri menengah"),
            gettext_lazy("Jumlah usaha IKM di wilayah ini dengan klasifikasi industri menengah."),
        ),
        _count(
            "usaha_besar",
            gettext_lazy("Industri besar"),
            gettext_lazy("Jumlah usaha IKM di wilayah ini dengan klasifikasi industri besar."),
        ),
        _count(
            "usaha_belum_ditentukan",
            gettext_lazy("Belum ditentukan"),
            gettext_lazy("Jumlah usaha IKM di wilayah ini yang klasifikasi industrinya belum dicatat."),
        ),
        _count(
            "usaha_jumlah",
            gettext_lazy("Jumlah usaha"),
            gettext_lazy("Jumlah usaha IKM di wilayah ini, semua klasifikasi."),
        ),
    ),
)

WORKFORCE_DATASET = Dataset(
    slug="tenaga-kerja-ikm",
    title=gettext_lazy("Tenaga kerja usaha IKM"),
    description=gettext_lazy(
        "Jumlah tenaga kerja (laki-laki dan perempuan) usaha industri kecil dan menengah terdaftar per wilayah: "
        "nasional, provinsi dan kabupaten/kota."
    ),
    unit=gettext_lazy("orang"),
    concept=gettext_lazy(
        "Tenaga kerja adalah jumlah pekerja laki-laki dan perempuan yang dilaporkan setiap usaha IKM terdaftar "
        "(data registri dan laporan semester usaha). Angka wilayah induk adalah jumlah angka wilayah di bawahnya."
    ),
    figures=(
        Variable(
            "tenaga_kerja",
            "integer",
            gettext_lazy("Tenaga kerja"),
            gettext_lazy("Jumlah tenaga kerja laki-laki dan perempuan usaha IKM di wilayah ini."),
            gettext_lazy("orang"),
            suppressible=True,
        ),
    ),
)

DATASETS = {d.slug: d for d in (SIZE_DATASET, WORKFORCE_DATASET)}


def dataset_get(slug: str) -> Dataset:
    try:
        return DATASETS[slug]
    except KeyError:
        raise Http404 from None


# --- Rows ------------------------------------------------------------------------------------------------------


def region_order(linked: LinkedStatistics) -> list[tuple[str, str, str]]:
    """``(code, level, parent code)`` of every region of the linked set, the nation first, each province followed
    by its regencies/cities (the order of the pages)."""
    out = [("", LEVEL_NATION, "")]
    for province in linked.children.get("", []):
        out.append((province, LEVEL_PROVINCE, ""))
        out.extend((kid, LEVEL_REGENCY, province) for kid in linked.children.get(province, []))
    return out


def dataset_rows(
    dataset: Dataset, linked: LinkedStatistics, names: dict[str, str], *, wilayah: str | None = None
) -> Iterator[dict[str, Any]]:
    """One dict per region (keys: ``dataset.columns``), hidden figures ``None`` with status ``rahasia``.

    ``wilayah`` narrows to one page: that region's row and its sub-regions' rows (a code without a page: 404)."""
    regions = region_order(linked)
    if wilayah is not None:
        if wilayah != "" and wilayah not in linked.children:
            raise Http404
        keep = {wilayah, *linked.children.get(wilayah, [])}
        regions = [r for r in regions if r[0] in keep]
    nation = _("Indonesia")
    for code, level, parent in regions:
        row: dict[str, Any] = {
            "kode_wilayah": code,
            "nama_wilayah": names.get(code, code) if code else nation,
            "tingkat_wilayah": level,
            "kode_induk": parent,
        }
        if dataset is WORKFORCE_DATASET:
            _put(row, "tenaga_kerja", linked.workforce[code])
        else:
            for column, name in SIZE_VARIABLES.items():
                _put(row, name, linked.counts[(code, column)])
        yield row


def _put(row: dict[str, Any], name: str, value: int | None) -> None:
    row[name] = value
    row[f"{name}_status"] = HIDDEN if value is None else ""


def linked_statistics() -> tuple[LinkedStatistics, dict[str, str]]:
    from sentra.reports.selectors import public_statistics_linked

    linked, names = public_statistics_linked()
    return linked, names


# --- Metadata --------------------------------------------------------------------------------------------------


def last_updated() -> datetime | None:
    """When the summary tables behind the statistics were last refreshed (the data's last change)."""
    from django.db.models import Max

    from sentra.reports.models import SummaryState

    return SummaryState.objects.aggregate(at=Max("refreshed_at"))["at"]


def data_version() -> str:
    """A short fingerprint of the statistics' state and the language of the texts: the ETag's basis, the same
    state that keys the cached suppression (``selectors.public_statistics_stamp``)."""
    from sentra.reports.selectors import public_statistics_stamp

    raw = f"{public_statistics_stamp()}:{MIN_CELL}:{translation.get_language()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def _urls(dataset: Dataset, request: Any = None) -> dict[str, str]:
    def url(name: str) -> str:
        path = reverse(name, args=[dataset.slug])
        return request.build_absolute_uri(path) if request is not None else path

    return {
        "csv": url("reports:opendata_csv"),
        "json": url("reports:opendata_json"),
        "metadata": url("reports:opendata_metadata"),
    }


def dataset_metadata(dataset: Dataset, *, updated: datetime | None, request: Any = None) -> dict[str, Any]:
    """The dataset's metadata (Satu Data Indonesia's elements), as the ``.metadata.json`` file and inside the
    ``.json`` file."""
    stamp = timezone.localtime(updated).isoformat(timespec="seconds") if updated else None
    return {
        "judul": str(dataset.title),
        "slug": dataset.slug,
        "deskripsi": str(dataset.description),
        "produsen_data": settings.SENTRA_AGENCY_NAME,
        "sumber": _("Registri usaha IKM Sentra (Sistem Informasi Sentra Industri Kecil dan Menengah)"),
        "periode": _("Keadaan pada tanggal pembaruan terakhir (data stok registri)."),
        "frekuensi": _("Sewaktu-waktu: diperbarui otomatis setiap kali data registri berubah."),
        "cakupan_wilayah": _("Nasional, provinsi dan kabupaten/kota (kode wilayah Kemendagri)."),
        "satuan": str(dataset.unit),
        "definisi_konsep": str(dataset.concept),
        "cara_pengumpulan": _(
            "Data administrasi: pendaftaran usaha oleh dinas kabupaten/kota dan provinsi, impor data dinas, dan "
            "laporan semester usaha (data industri kecil SIINas, Permenperin 13/2025 Pasal 7) yang diperiksa petugas."
        ),
        "aturan_penekanan": {
            "ambang": MIN_CELL,
            "uraian": _(
                "Angka yang bersandar pada kurang dari {n} usaha disembunyikan (penekanan primer), demikian pula "
                "tenaga kerja wilayah dengan kurang dari {n} usaha. Angka lain yang memungkinkan angka tersembunyi "
                "dihitung, dalam satu tabel maupun antara tabel nasional, provinsi dan kabupaten/kota, ikut "
                "disembunyikan (penekanan pelengkap). Dasar: UU 16/1997 Pasal 21 dan UU 3/2014 jo. PP 28/2021 "
                "(data individual perusahaan industri bersifat rahasia)."
            ).format(n=MIN_CELL),
            "kode_status": {
                HIDDEN: _(
                    "Disembunyikan untuk menjaga kerahasiaan data individual; sel kosong di CSV, null di JSON. "
                    "Penekanan primer dan pelengkap tidak dibedakan."
                )
            },
        },
        "lisensi": LICENCE,
        "pembaruan_terakhir": stamp,
        "format": ["text/csv", "application/json"],
        "pengkodean": "UTF-8",
        "tautan": _urls(dataset, request),
        "variabel": [
            {
                "nama": v.name,
                "label": str(v.label),
                "tipe": v.type,
                "satuan": str(v.unit),
                "definisi": str(v.definition),
                "boleh_kosong": v.may_be_empty,
            }
            for v in dataset.variables
        ],
    }


def catalogue(*, updated: datetime | None, request: Any = None) -> dict[str, Any]:
    """Every dataset with its title, description, licence, last update and links (the index's JSON twin)."""
    return {
        "produsen_data": settings.SENTRA_AGENCY_NAME,
        "dataset": [
            {
                "judul": str(d.title),
                "slug": d.slug,
                "deskripsi": str(d.description),
                "satuan": str(d.unit),
                "lisensi": LICENCE,
                "pembaruan_terakhir": timezone.localtime(updated).isoformat(timespec="seconds") if updated else None,
                "tautan": _urls(d, request),
            }
            for d in DATASETS.values()
        ],
    }


def as_csv_cells(dataset: Dataset, row: dict[str, Any]) -> list[Any]:
    """A row in file order for the CSV writer: a hidden figure (``None``) is an empty cell."""
    return ["" if row[name] is None else row[name] for name in dataset.columns]


def as_json(rows: list[dict[str, Any]], metadata: dict[str, Any]) -> bytes:
    return json.dumps({"metadata": metadata, "data": rows}, ensure_ascii=False, indent=1).encode()
