"""Dashboard charts: plotly.js served from the package, data handed over as JSON (no inline code), a real table
per chart, and an XLSX of each chart with the page's own scoped numbers."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from sentra.reports.charts import CHART_TITLES
from sentra.reports.services import summary_refresh_all
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def registry():
    for i in range(5):
        BusinessFactory(name=f"Kendari {i}", region_id="74.71", workforce_male=i, workforce_female=1)
    for i in range(3):
        BusinessFactory(name=f"Baubau {i}", region_id="74.72", district_id=None, village_id=None)
    BusinessFactory(name="Makassar", region_id="73.71", district_id=None, village_id=None)
    summary_refresh_all()


def _xlsx_rows(response) -> list[tuple]:
    import openpyxl

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return [tuple(r) for r in book.active.iter_rows(values_only=True)]


def test_plotly_is_served_from_the_installed_package_only():
    found = finders.find("vendor/plotly/plotly.min.js")
    assert found and "site-packages" in found and found.endswith("plotly/package_data/plotly.min.js")
    # Nothing else of the package (sample data, widget bundle) becomes a static file.
    assert not finders.find("vendor/plotly/widgetbundle.js")
    assert not finders.find("vendor/plotly/datasets/iris.csv.gz")
    listed = [path for finder in finders.get_finders() for path, _storage in finder.list([]) if "plotly" in path]
    assert listed == ["plotly.min.js"]


def test_dashboard_hands_chart_data_as_json_with_a_table_per_chart(registry, client, officer_region_a):
    client.force_login(officer_region_a)
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert "vendor/plotly/plotly.min.js" in html and "sentra/charts.js" in html
    # Every <script> is either an external file of ours or a JSON data block: nothing for the CSP to refuse.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    for key in CHART_TITLES:
        block = re.search(rf'<script id="chart-{key}-data" type="application/json">(.*?)</script>', html, re.S)
        assert block, key
        data = json.loads(block.group(1))
        assert data["key"] == key and data["labels"] and data["series"]
        card = html[html.index(f'data-testid="chart-card-{key}"') :]
        card = card[: card.index("</details>")]
        assert "<table" in card and "<caption>" in card and "Kota Kendari" in card, key
        assert f'href="/laporan/dasbor/grafik/74.71/{key}.xlsx?tahun={THIS_YEAR}"' in card
    size = json.loads(re.search(r'id="chart-size-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert sum(size["series"][0]["values"]) == 5
    assert all(url.startswith("/usaha/?region=74.71") for url in size["urls"])
    workforce = json.loads(
        re.search(r'id="chart-workforce-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert workforce["series"][0]["values"] == [0 + 1 + 2 + 3 + 4, 5]


def test_chart_xlsx_holds_the_same_numbers_as_the_page(registry, client, province_officer):
    client.force_login(province_officer)
    rows = _xlsx_rows(client.get(reverse("reports:chart_xlsx", args=["74", "size"])))
    assert rows[0][0] == "Klasifikasi industri (Permenperin 64/2016) · Sulawesi Tenggara"
    body = {r[0]: r[1] for r in rows[3:] if r[0]}
    assert body.pop("Jumlah") == 8
    assert sum(body.values()) == 8
    city = _xlsx_rows(client.get(reverse("reports:chart_xlsx", args=["74.72", "workforce"])))
    assert city[0][0].endswith("· Kota Bau Bau")
    assert {r[0]: r[1] for r in city[3:] if r[0]} == {"Laki-laki": 9, "Perempuan": 6, "Jumlah": 15}


def test_national_chart_xlsx_and_refusals(registry, client, national_admin, officer_region_a, owner_user):
    client.force_login(national_admin)
    rows = _xlsx_rows(client.get(reverse("reports:chart_xlsx", args=["id", "status"])))
    assert rows[0][0].endswith("· Indonesia")
    assert {r[0]: r[1] for r in rows[3:] if r[0]}["Jumlah"] == 9
    assert client.get(reverse("reports:chart_xlsx", args=["id", "nope"])).status_code == 404
    assert client.get(reverse("reports:chart_xlsx", args=["99", "size"])).status_code == 404
    assert client.get(reverse("reports:chart_xlsx", args=["74.71.03", "size"])).status_code == 404  # a district
    # A city officer: their own city only; not the nation, the province or a neighbour.
    client.force_login(officer_region_a)
    assert client.get(reverse("reports:chart_xlsx", args=["74.71", "division"])).status_code == 200
    for code in ("id", "74", "74.72", "73"):
        assert client.get(reverse("reports:chart_xlsx", args=[code, "size"])).status_code == 404, code
    client.force_login(owner_user)
    assert client.get(reverse("reports:chart_xlsx", args=["74.71", "size"])).status_code in (403, 404)
