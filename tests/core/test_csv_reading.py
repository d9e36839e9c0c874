"""CSV files that used to end in a 500 or a confusing message: a cell past the csv module's field limit, UTF-16
(with and without its byte-order mark) and NUL bytes; through the web import forms and `sentra import`."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sentra.core.models import Job
from sentra.registry.models import Business
from tests.core.importing_helpers import HEADER, csv_bytes, good_rows, upload

pytestmark = pytest.mark.django_db

IMPORT_URLS = ["registry:business_import", "training:attendance_import"]
HUGE_CELL = "x" * (10 * 1024 * 1024)  # 10 MB in one cell


def _huge_cell_csv(at_row: int = 2) -> bytes:
    rows = [HEADER, *good_rows(4)]
    rows[at_row - 1] = [rows[at_row - 1][0], HUGE_CELL, *rows[at_row - 1][2:]]
    return csv_bytes(rows)


def _with_nul(at_row: int, *, rows: int = 5) -> bytes:
    lines = csv_bytes([HEADER, *good_rows(rows - 1)]).split(b"\n")
    lines[at_row - 1] = lines[at_row - 1].replace(b"Uji", b"U\x00ji", 1)
    return b"\n".join(lines)


def _web_upload(client, url_name, name, content):
    extra = {}
    if url_name == "training:attendance_import":
        from tests.training.factories import make_batch

        extra["batch"] = str(make_batch(region_id="74.71").pk)
    response = client.post(reverse(url_name), {"file": upload(name, content), **extra})
    assert response.status_code == 200, response.status_code  # the form again, with the message; not a 500
    return response.context["form"].errors["file"][0]


def _cli(tmp_path, content, name="usaha.csv", *args):
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import", "business", str(path), "--dry-run", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- A cell longer than the csv module's limit ---------------------------------------------------------------------


@pytest.mark.parametrize("url_name", IMPORT_URLS)
def test_a_10_mb_cell_is_a_clear_message_on_the_web(client, officer_region_a, url_name):
    client.force_login(officer_region_a)
    message = _web_upload(client, url_name, "usaha.csv", _huge_cell_csv(at_row=2))
    limit = f"{csv.field_size_limit():,}".replace(",", ".")
    assert message.startswith("Sel di baris 2 terlalu panjang"), message
    assert f"lebih dari {limit} karakter" in message
    assert "field limit" not in message  # no English from the csv module
    assert not Job.objects.exists()


def test_a_10_mb_cell_is_a_clear_message_in_the_cli(tmp_path):
    with pytest.raises(CommandError, match=r"^Sel di baris 2 terlalu panjang \(lebih dari 131\.072 karakter\)"):
        _cli(tmp_path, _huge_cell_csv(at_row=2))
    assert not Business.objects.exists()


def test_a_long_cell_further_down_names_its_row(tmp_path):
    rows = [HEADER, *good_rows(30)]
    rows[24][1] = "y" * 200_000  # row 25 of the sheet; past the first megabyte the delimiter is sniffed from
    content = csv_bytes(rows)
    with pytest.raises(CommandError, match=r"^Sel di baris 25 terlalu panjang"):
        _cli(tmp_path, content)


def test_the_import_command_line_prints_the_message_not_a_traceback(tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = tmp_path / "usaha.csv"
    path.write_bytes(_huge_cell_csv(at_row=3))
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["sentra", "import", "business", str(path), "--dry-run"]).execute()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("CommandError: Sel di baris 3 terlalu panjang"), err[:300]


# --- UTF-16 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom"])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path, encoding):
    rows = [HEADER, *good_rows(4)]
    rows[1][0] = "CV Usaha Ümi ąę 漢字"
    if encoding == "utf-16":  # Python writes the mark in the machine's order (little-endian): Excel's "Unicode Text"
        content = csv_bytes(rows, delimiter="\t", encoding="utf-16")
    else:
        content = b"\xfe\xff" + csv_bytes(rows, delimiter="\t", encoding="utf-16-be")
    summary = _cli(tmp_path, content, "usaha.txt")
    assert "4 baris dibaca, 4 benar, 0 ditolak" in summary


def test_utf16_is_read_through_the_web_form(client, officer_region_a):
    client.force_login(officer_region_a)
    content = csv_bytes([HEADER, *good_rows(3)], delimiter="\t", encoding="utf-16")
    response = client.post(reverse("registry:business_import"), {"file": upload("usaha.csv", content)})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    Job.objects.get()
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "Nama Usaha" in preview.content.decode()


def test_utf16_without_a_byte_order_mark_is_a_clear_message(client, officer_region_a, tmp_path):
    content = csv_bytes([HEADER, *good_rows(3)], encoding="utf-16-le")
    with pytest.raises(CommandError, match="UTF-16 tanpa penanda urutan byte"):
        _cli(tmp_path, content)
    client.force_login(officer_region_a)
    message = _web_upload(client, "registry:business_import", "usaha.csv", content)
    assert "UTF-16 tanpa penanda urutan byte (BOM)" in message and "CSV UTF-8" in message


# --- NUL bytes -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", IMPORT_URLS)
def test_a_nul_byte_is_a_clear_message_on_the_web(client, officer_region_a, url_name):
    client.force_login(officer_region_a)
    message = _web_upload(client, url_name, "usaha.csv", _with_nul(at_row=3))
    assert message.startswith("Berkas CSV berisi karakter NUL (byte nol) di baris 3."), message
    assert not Job.objects.exists()


def test_a_nul_byte_is_a_clear_message_in_the_cli(tmp_path):
    with pytest.raises(CommandError, match=r"karakter NUL \(byte nol\) di baris 4\."):
        _cli(tmp_path, _with_nul(at_row=4))
    assert not Business.objects.exists()


def test_a_nul_byte_past_the_first_megabyte_names_its_row(tmp_path):
    rows = 12_000
    content = _with_nul(at_row=rows - 1, rows=rows)
    assert content.index(b"\x00") > 1 << 20
    with pytest.raises(CommandError, match=rf"karakter NUL \(byte nol\) di baris {rows - 1}\."):
        _cli(tmp_path, content)


def test_a_nul_byte_in_utf16_is_a_clear_message(tmp_path):
    content = csv_bytes([HEADER, *good_rows(3)], delimiter="\t", encoding="utf-16").replace(
        "Uji".encode("utf-16-le"), "U\x00ji".encode("utf-16-le"), 1
    )
    with pytest.raises(CommandError, match=r"karakter NUL \(byte nol\) di baris 2\."):
        _cli(tmp_path, content)


def test_a_binary_file_named_csv_is_still_refused_by_type(client, officer_region_a):
    client.force_login(officer_region_a)
    message = _web_upload(client, "registry:business_import", "usaha.csv", b"\x00\x01\x02\x03binary" * 50)
    assert "Jenis berkas tidak diterima" in message
