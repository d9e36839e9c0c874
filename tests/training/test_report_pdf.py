"""The batch report PDF: the source of funds once, long text wrapped inside the page, failed results with reasons."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth

from sentra.training import documents, selectors, services
from tests.training.factories import complete_participant, make_batch, make_participant

pytestmark = pytest.mark.django_db

LONG = (
    "Usaha Dagang Kerajinan Meubel dan Ukiran Kayu Jati Tradisional Sulawesi Tenggara Bersaudara "
    "Cabang Kelurahan Kambu Kecamatan Kambu Kota Kendari"
)


def _report():
    batch = make_batch(
        start=dt.date(2022, 7, 18),
        end=dt.date(2022, 7, 23),
        funding_source="dak_nonfisik",
        funding_note="DAK Nonfisik menu B (Dana Pelayanan Kepariwisataan dan Industri Kecil Menengah tahun 2022)",
    )
    batch.venue = "Aula Dinas Tenaga Kerja dan Perindustrian Kota Kendari, Jalan Balai Kota II No. 1, Kelurahan Kambu"
    batch.save()
    failed = make_participant(batch, name="Wa Ode Sitti Rahmawati Binti La Ode Muhammad Kasim")
    failed.business.name = LONG
    failed.business.save()
    complete_participant(failed, present_days=3, post="55")
    complete_participant(make_participant(batch), present_days=6, post="80")
    services.batch_assess(actor=None, batch=batch)
    return selectors.batch_report(batch)


def _runs(pdf: bytes):
    """(page, x, text, font size) of every text run, through pypdf's visitor."""
    runs = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                runs.append((number, tm[4] * cm[0] + cm[4], text, size * tm[0] * cm[0] or size))

        page.extract_text(visitor_text=visit)
    return runs


def test_funding_is_named_once():
    report = _report()
    assert documents.funding_text(report["batch"]).startswith("DAK Nonfisik menu B (")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(documents.report_pdf(report))).pages)
    flat = re.sub(r"\s+", " ", text)
    assert "DAK Nonfisik DAK Nonfisik" not in flat and "Dana Pelayanan Kepariwisataan" in flat


def test_long_text_wraps_inside_the_page_and_failures_give_reasons():
    pdf = documents.report_pdf(_report())
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    # Every word of the long business name is printed (wrapped, not cut) ...
    assert all(word in text for word in LONG.split())
    assert "Tidak lulus: kehadiran 3/6 hari, kurang dari 5; post-test 55 < 60" in text
    assert "Syarat lulus: hadir minimal 5 dari 6 hari (80%)" in text
    # ... and no run of text reaches past the right margin.
    width = landscape(A4)[0]
    runs = _runs(pdf)
    assert runs
    for _page, x, run, size in runs:
        assert x + stringWidth(run, "Helvetica", size) <= width - 10, run
