"""Open data of the public statistics: files at stable URLs that validate against their own metadata, never hold a
figure the linked suppression hides, answer conditional requests, and are linked from each table of the pages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from sentra.core.exporting.service import stream_table_csv
from sentra.reports import opendata
from sentra.reports.selectors import PUBLIC_SIZE_COLUMNS, public_statistics_linked
from sentra.reports.services import summary_refresh_all
from sentra.reports.suppression import TOTAL, suppress_hierarchy
from tests.registry.factories import BusinessFactory

SIZE = "usaha-ikm-menurut-klasifikasi-industri"
WORKFORCE = "tenaga-kerja-ikm"


@pytest.fixture
def statistics(db):
    """Kendari with enough businesses to publish, Baubau with two (hidden), Makassar with a few of each class."""
    for _ in range(6):
        BusinessFactory(region_id="74.71", size_class="kecil", workforce_male=3, workforce_female=2)
    BusinessFactory(region_id="74.71", size_class="menengah", workforce_male=10, workforce_female=4)
    for _ in range(2):
        BusinessFactory(region_id="74.72", size_class="kecil", workforce_male=2, workforce_female=1)
    for size in ("kecil", "kecil", "kecil", "menengah", "besar"):
        BusinessFactory(region_id="73.71", size_class=size, workforce_male=5, workforce_female=5)
    summary_refresh_all()


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def _csv_header(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return next(csv.reader(io.StringIO(text[1:])))


def _get(client: Client, name: str, slug: str | None = None, **params):
    url = reverse(f"reports:{name}", args=[slug] if slug else [])
    return client.get(url, params)


# --- Stable URLs, public ------------------------------------------------------------------------------------------


def test_stable_urls():
    assert reverse("reports:opendata_index") == "/statistik/data/"
    assert reverse("reports:opendata_catalogue") == "/statistik/data/katalog.json"
    assert reverse("reports:opendata_csv", args=[SIZE]) == f"/statistik/data/{SIZE}.csv"
    assert reverse("reports:opendata_json", args=[SIZE]) == f"/statistik/data/{SIZE}.json"
    assert reverse("reports:opendata_metadata", args=[WORKFORCE]) == f"/statistik/data/{WORKFORCE}.metadata.json"
    assert set(opendata.DATASETS) == {SIZE, WORKFORCE}


@pytest.mark.parametrize("slug", [SIZE, WORKFORCE])
def test_files_are_public_and_read_only(client, statistics, slug):
    """No login needed (the pages are public); only GET/HEAD."""
    for name in ("opendata_csv", "opendata_json", "opendata_metadata"):
        assert _get(client, name, slug).status_code == 200
        assert client.post(reverse(f"reports:{name}", args=[slug])).status_code == 405
    assert _get(client, "opendata_index").status_code == 200
    assert _get(client, "opendata_catalogue").status_code == 200


def test_unknown_dataset_and_region_are_404(client, statistics):
    assert client.get("/statistik/data/tidak-ada.csv").status_code == 404
    assert client.get("/statistik/data/tidak-ada.metadata.json").status_code == 404
    assert _get(client, "opendata_csv", SIZE, wilayah="99").status_code == 404
    assert _get(client, "opendata_json", SIZE, wilayah="74.71").status_code == 404  # a regency has no page


# --- Files validate against their own metadata ---------------------------------------------------------------------


def _check_value(variable: dict, value, *, source: str) -> None:
    """A cell of a file against its variable: type, and empty only where the metadata allows it."""
    empty = value is None or value == ""
    if empty:
        assert variable["boleh_kosong"], f"{variable['nama']} kosong di {source}"
        return
    if variable["tipe"] == "integer":
        number = int(value) if source == "csv" else value
        assert isinstance(number, int) and not isinstance(number, bool) and number >= 0
        if source == "csv":
            assert str(number) == value  # plain digits, no thousands separators
    else:
        assert isinstance(value, str)


@pytest.mark.parametrize("slug", [SIZE, WORKFORCE])
def test_files_validate_against_their_metadata(client, statistics, slug):
    metadata = _get(client, "opendata_metadata", slug).json()
    for element in (
        "judul",
        "produsen_data",
        "periode",
        "frekuensi",
        "satuan",
        "definisi_konsep",
        "cara_pengumpulan",
        "aturan_penekanan",
        "lisensi",
        "pembaruan_terakhir",
        "variabel",
    ):
        assert metadata[element], element
    assert metadata["lisensi"]["nama"] == "CC BY 4.0"
    variables = {v["nama"]: v for v in metadata["variabel"]}
    names = [v["nama"] for v in metadata["variabel"]]
    for v in metadata["variabel"]:
        assert v["tipe"] in ("string", "integer") and v["label"] and v["definisi"]
        if v["tipe"] == "integer":
            assert v["satuan"] == metadata["satuan"]  # every figure has the dataset's unit
            assert variables[f"{v['nama']}_status"]["tipe"] == "string"

    assert _csv_header(_get(client, "opendata_csv", slug)) == names
    rows = _csv(_get(client, "opendata_csv", slug))
    assert rows
    for row in rows:
        for name, value in row.items():
            _check_value(variables[name], value, source="csv")

    document = _get(client, "opendata_json", slug).json()
    assert document["metadata"] == metadata
    assert len(document["data"]) == len(rows)
    for row in document["data"]:
        assert list(row) == names
        for name, value in row.items():
            _check_value(variables[name], value, source="json")


def test_catalogue_lists_every_dataset_with_its_links(client, statistics):
    catalogue = _get(client, "opendata_catalogue").json()
    assert [d["slug"] for d in catalogue["dataset"]] == list(opendata.DATASETS)
    for entry in catalogue["dataset"]:
        assert entry["tautan"]["csv"].endswith(f"/statistik/data/{entry['slug']}.csv")
        assert entry["lisensi"]["nama"] == "CC BY 4.0" and entry["pembaruan_terakhir"]
    page = _get(client, "opendata_index").content.decode()
    for slug in opendata.DATASETS:
        for suffix in (".csv", ".json", ".metadata.json"):
            assert f'href="/statistik/data/{slug}{suffix}"' in page


# --- No suppressed cell, ever --------------------------------------------------------------------------------------


def _figure_keys(slug: str):
    if slug == WORKFORCE:
        return [("tenaga_kerja", None)]
    return [(opendata.SIZE_VARIABLES[c], c) for c in [*PUBLIC_SIZE_COLUMNS, TOTAL]]


@pytest.mark.parametrize("slug", [SIZE, WORKFORCE])
def test_files_hold_exactly_what_the_suppression_shows(client, statistics, slug):
    linked, _names = public_statistics_linked()
    hidden = 0
    csv_rows = _csv(_get(client, "opendata_csv", slug))
    json_rows = _get(client, "opendata_json", slug).json()["data"]
    for csv_row, json_row in zip(csv_rows, json_rows, strict=True):
        code = csv_row["kode_wilayah"]
        assert json_row["kode_wilayah"] == code
        for name, column in _figure_keys(slug):
            shown = linked.workforce[code] if column is None else linked.counts[(code, column)]
            if shown is None:
                hidden += 1
                assert csv_row[name] == "" and json_row[name] is None
                assert csv_row[f"{name}_status"] == json_row[f"{name}_status"] == opendata.HIDDEN
            else:
                assert csv_row[name] == str(shown) and json_row[name] == shown
                assert csv_row[f"{name}_status"] == json_row[f"{name}_status"] == ""
    assert hidden  # Baubau's two businesses are hidden, with their complements


def test_baubau_small_cell_is_nowhere_in_the_files(client, statistics):
    """The figure behind Baubau's hidden cell (2 small businesses, 6 workers) appears in no cell of any file."""
    for slug in (SIZE, WORKFORCE):
        for row in _csv(_get(client, "opendata_csv", slug, wilayah="74")):
            if row["kode_wilayah"] == "74.72":
                figures = {k: v for k, v in row.items() if k.startswith(("usaha_", "tenaga_")) and "status" not in k}
                assert set(figures.values()) <= {"", "0"}, figures


def test_a_region_narrows_the_file_to_its_page(client, statistics):
    rows = _csv(_get(client, "opendata_csv", SIZE, wilayah="74"))
    assert rows[0]["kode_wilayah"] == "74" and rows[0]["tingkat_wilayah"] == "provinsi"
    assert {r["kode_induk"] for r in rows[1:]} == {"74"}
    assert {"74.71", "74.72"} <= {r["kode_wilayah"] for r in rows}
    national = _csv(_get(client, "opendata_csv", SIZE, wilayah=""))
    assert national[0]["tingkat_wilayah"] == "nasional"
    assert {r["tingkat_wilayah"] for r in national[1:]} == {"provinsi"}


# --- Caching headers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["opendata_csv", "opendata_json", "opendata_metadata"])
def test_conditional_requests(client, statistics, name):
    response = _get(client, name, SIZE)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag and modified
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    url = reverse(f"reports:{name}", args=[SIZE])
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    other = client.get(url, {"wilayah": "74"})
    assert other.status_code == 200 and other["ETag"] != etag  # another file, another tag
    # New data: a new tag, and the old one no longer matches.
    BusinessFactory(region_id="74.71", size_class="kecil")
    summary_refresh_all()
    fresh = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_the_tag_follows_the_language(client, statistics, settings):
    """The metadata's texts follow the language the visitor chose: another language, another tag, and caches keep
    the two apart (Vary: Cookie)."""
    url = reverse("reports:opendata_metadata", args=[SIZE])
    indonesian = client.get(url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url)
    assert indonesian["ETag"] != english["ETag"]
    assert "Cookie" in english["Vary"]
    assert client.get(url, HTTP_IF_NONE_MATCH=indonesian["ETag"]).status_code == 200


# --- Links from the tables -----------------------------------------------------------------------------------------


def test_each_table_links_its_dataset(client, statistics):
    page = client.get(reverse("reports:statistics")).content.decode()
    for slug in (SIZE, WORKFORCE):
        for suffix in (".csv", ".json", ".metadata.json"):
            assert f'href="/statistik/data/{slug}{suffix}"' in page
    assert 'href="/statistik/data/"' in page
    province = client.get(reverse("reports:statistics"), {"wilayah": "74"}).content.decode()
    for slug in (SIZE, WORKFORCE):
        assert f'href="/statistik/data/{slug}.csv?wilayah=74"' in province
        assert f'href="/statistik/data/{slug}.json?wilayah=74"' in province


def test_file_queries_do_not_grow_with_regions(client, statistics, django_assert_max_num_queries):
    public_statistics_linked()  # the suppression is cached, as for the page
    with django_assert_max_num_queries(8):
        _csv(_get(client, "opendata_csv", SIZE))
    with django_assert_max_num_queries(8):
        _get(client, "opendata_json", WORKFORCE).json()


# --- Property: whatever the figures, a file never holds a hidden one --------------------------------------------------

COLUMNS = list(PUBLIC_SIZE_COLUMNS)


@st.composite
def trees(draw):
    children: dict[str, list[str]] = {"": []}
    counts, workforce = {}, {}
    for p in range(draw(st.integers(1, 3))):
        province = f"{p + 11}"
        children[""].append(province)
        children[province] = []
        for r in range(draw(st.integers(0, 3))):
            regency = f"{province}.{r + 71}"
            children[province].append(regency)
            for col in COLUMNS:
                counts[(regency, col)] = draw(st.one_of(st.integers(0, 3), st.integers(0, 30)))
            workforce[regency] = draw(st.integers(0, 50))
    return children, counts, workforce


@settings(max_examples=150, deadline=None)
@given(trees())
def test_property_files_never_hold_a_hidden_figure(tree):
    children, counts, workforce = tree
    linked = suppress_hierarchy(children, counts, workforce, COLUMNS)
    names = {code: f"Wilayah {code}" for kids in children.values() for code in kids}
    for dataset in opendata.DATASETS.values():
        rows = list(opendata.dataset_rows(dataset, linked, names))
        assert len(rows) == 1 + sum(len(k) for k in children.values())
        text = "".join(stream_table_csv(dataset.columns, (opendata.as_csv_cells(dataset, r) for r in rows)))
        parsed = list(csv.DictReader(io.StringIO(text[1:])))
        document = json.loads(opendata.as_json(rows, {}))["data"]
        for row, csv_row, json_row in zip(rows, parsed, document, strict=True):
            code = row["kode_wilayah"]
            keys = _figure_keys(dataset.slug)
            for name, column in keys:
                shown = linked.workforce[code] if column is None else linked.counts[(code, column)]
                assert json_row[name] == shown
                assert csv_row[name] == ("" if shown is None else str(shown))
                assert (csv_row[f"{name}_status"] == opendata.HIDDEN) == (shown is None)
