"""Every list exports what it shows, through the one export engine.

``test_every_list_has_an_export`` walks the URLconf: a page named ``*_list`` needs an ``*_export`` URL served by
the engine's ``export_view``. ``test_export_walk`` walks every registered export spec: region A's officer gets
region A's rows and none of region B's, in an XLSX and a CSV that open, a filter of the list narrows the file,
and the number of queries is bounded (it does not grow with the rows: three rows are exported).

A spec without a case in ``CASES`` fails, so a new export comes with its scope and filter proof.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sentra.core.exporting import all_exports
from sentra.core.views_jobs import export_view
from tests.conftest import REGION_A, REGION_B

pytestmark = pytest.mark.django_db


def _export_urls() -> dict[str, str]:
    """``{url name: spec key}`` of every URL served by the engine's export view."""
    out: dict[str, str] = {}

    def walk(patterns: Any, ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name and p.callback is export_view:
                out[f"{ns}{p.name}"] = p.default_args["key"]

    walk(get_resolver().url_patterns, "")
    return out


def _list_urls() -> list[str]:
    names: list[str] = []

    def walk(patterns: Any, ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name and p.name.endswith("_list"):
                names.append(f"{ns}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


# Lists where an export makes no sense, each with the reason.
NO_EXPORT = {
    # The API answers in JSON with its own cursor paging; the pages' exports serve people, the API serves programs.
    "api-v1:*": "API",
    # Django admin's app index is a menu, not data.
    "admin:app_list": "admin",
    # One's own background jobs: their files are the downloads; a spreadsheet of job rows helps nobody.
    "core:job_list": "jobs",
    # One's own notifications (an inbox), not data of a region.
    "quality:notice_list": "inbox",
    # The checklist templates and their versions: reference configuration, the same for every region.
    "quality:checklist_list": "configuration",
}


def _allowed(name: str) -> bool:
    return name in NO_EXPORT or f"{name.split(':')[0]}:*" in NO_EXPORT


# Lists that should export but do not yet: strict, so the mark must go when the export arrives.
NOT_YET: dict[str, str] = {}


def _list_cases() -> list[Any]:
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[n])) if n in NOT_YET else n
        for n in _list_urls()
        if not _allowed(n)
    ]


@pytest.mark.parametrize("name", _list_cases())
def test_every_list_has_an_export(name):
    assert name.removesuffix("_list") + "_export" in _export_urls(), (
        f"{name} has no export: register an ExportSpec in the app's exports and an *_export URL on export_view"
    )


def test_every_export_spec_is_served_and_walked():
    keys = {s.key for s in all_exports()}
    assert keys <= set(_export_urls().values()), keys - set(_export_urls().values())
    assert keys == set(CASES), f"specs without a walk case: {keys - set(CASES)}; stale cases: {set(CASES) - keys}"


# --- The cases: how to make a row of a spec in a region, and a filter of its list ----------------------------------


@dataclass(frozen=True)
class Case:
    #: (world, region_id, mark) → makes a row of the export in the region and returns a text its cells contain
    #: (usually ``mark`` itself).
    make: Callable[[Any, str, str], Any]
    #: filter parameters that keep region A's rows, and ones that drop them (both filters of the list page).
    keeps: dict[str, str]
    drops: dict[str, str]
    #: queries of one small export request (session, user, permissions, the rows, the audit event).
    max_queries: int


def _make_business(region, mark):
    from tests.registry.factories import BusinessFactory

    place = {} if region == REGION_A else {"district_id": "74.72.01", "village_id": None}
    return BusinessFactory(name=f"Usaha {mark}", region_id=region, **place)


def _business(world, region, mark):
    _make_business(region, mark)
    return mark


def _owner(world, region, mark):
    from tests.registry.factories import OwnerFactory

    OwnerFactory(full_name=f"Pelaku {mark}", region_id=region, village_id=None)
    return mark


def _siinas(world, region, mark):
    from tests.centres.test_siinas import _report

    officer = world.officer_a if region == REGION_A else world.officer_b
    _report(officer, _make_business(region, mark))
    return mark


def _evaluation(world, region, mark):
    from sentra.reports.models import EvaluationRow

    # The analysis table names no one (only ids, region, KBLI, size class): the row is known by its class id.
    batch_id = 987000 + sum(map(ord, mark))
    EvaluationRow.objects.create(
        subject="kelas", start_date=dt.date(2022, 3, 1), year=2022, region_id=region, batch_id=batch_id
    )
    return f"|{batch_id}|"


def _centre(world, region, mark):
    from tests.centres.factories import CentreFactory

    CentreFactory(name=f"Sentra {mark}", region_id=region, village_id=None)
    return mark


def _grant(world, region, mark):
    from tests.centres.factories import GrantFactory

    GrantFactory(name=f"Mesin {mark}", region_id=region)
    return mark


def _submission(world, region, mark):
    _siinas(world, region, mark)
    return f"Usaha {mark}"  # the report's subject


def _allocation(world, region, mark):
    from tests.budget.factories import make_allocation, make_fund

    fund = make_fund()
    fund.name = f"Dana {mark}"
    fund.save(update_fields=["name"])
    make_allocation(region=region, fund=fund)
    return mark


def _dak_report(world, region, mark):
    from tests.budget.factories import make_allocation, make_dak_report

    make_dak_report(make_allocation(region=region), 1)
    from sentra.periodic.models import Submission

    Submission.objects.filter(region_id=region).exclude(subject_label__startswith="Alokasi").update(
        subject_label=f"Alokasi {mark}"
    )
    return mark


def _certification(world, region, mark):
    from tests.quality.factories import CertificationFactory

    CertificationFactory(number=f"No-{mark}", business=_make_business(region, mark), region_id=region)
    return f"No-{mark}"


def _product(world, region, mark):
    from tests.products.factories import ProductFactory

    ProductFactory(name=f"Produk {mark}", business=_make_business(region, mark))
    return f"Produk {mark}"


def _assessment(world, region, mark):
    from tests.quality.factories import make_assessment

    officer = world.officer_a if region == REGION_A else world.officer_b
    make_assessment(business=_make_business(region, mark), actor=officer)
    return f"Usaha {mark}"


def _action(world, region, mark):
    from tests.quality.factories import make_action, make_finding

    officer = world.officer_a if region == REGION_A else world.officer_b
    assessment = _assessment_of(region, mark, officer)
    make_action(responsible=officer, actor=officer, finding=make_finding(assessment=assessment))
    return f"Usaha {mark}"


def _assessment_of(region, mark, officer):
    from tests.quality.factories import make_assessment

    return make_assessment(business=_make_business(region, mark), actor=officer)


def _batch(world, region, mark):
    from sentra.training.models import Batch
    from tests.training.factories import make_batch, make_programme

    batch = make_batch(region_id=region, programme=make_programme(region_id=region))
    Batch.objects.filter(pk=batch.pk).update(name=f"Kelas {mark}")
    return f"Kelas {mark}"


def _programme(world, region, mark):
    from tests.training.factories import make_programme

    programme = make_programme(region_id=region)
    programme.title = f"Program {mark}"
    programme.save(update_fields=["title"])
    return f"Program {mark}"


def _user(world, region, mark):
    from sentra.accounts.roles import Role
    from tests.accounts.factories import UserFactory

    UserFactory(username=f"akun-{mark.lower()}", full_name=f"Akun {mark}", role=Role.TRAINER, region_id=region)
    return f"Akun {mark}"


CASES: dict[str, Case] = {
    "registry.business": Case(_business, keeps={"q": "Usaha"}, drops={"q": "tidak-ada"}, max_queries=12),
    "registry.owner": Case(_owner, keeps={"q": "Pelaku"}, drops={"q": "tidak-ada"}, max_queries=12),
    "centres.siinas": Case(_siinas, keeps={"period": "2025S1"}, drops={"period": "2024S2"}, max_queries=12),
    "reports.evaluation": Case(_evaluation, keeps={"wilayah": REGION_A}, drops={"wilayah": REGION_B}, max_queries=12),
    "centres.centre": Case(_centre, keeps={"status": "operating"}, drops={"status": "planned"}, max_queries=12),
    "periodic.submission": Case(_submission, keeps={"period": "2025S1"}, drops={"period": "2024S2"}, max_queries=12),
    "budget.allocation": Case(
        _allocation, keeps={"fund_kind": "fisik"}, drops={"fund_kind": "nonfisik"}, max_queries=13
    ),
    "budget.report": Case(_dak_report, keeps={"state": "draft"}, drops={"state": "accepted"}, max_queries=12),
    "quality.certification": Case(_certification, keeps={"kind": "halal"}, drops={"kind": "sni"}, max_queries=12),
    "products.product": Case(_product, keeps={"tampil": "tidak"}, drops={"tampil": "ya"}, max_queries=12),
    "quality.assessment": Case(_assessment, keeps={"q": "Usaha"}, drops={"q": "tidak-ada"}, max_queries=12),
    "quality.action": Case(_action, keeps={"status": "open"}, drops={"status": "done"}, max_queries=12),
    "centres.grant": Case(_grant, keeps={"year": "2023"}, drops={"year": "2019"}, max_queries=12),
    "training.batch": Case(_batch, keeps={"status": "closed"}, drops={"status": "open"}, max_queries=12),
    "training.programme": Case(_programme, keeps={"kind": "pelatihan"}, drops={"kind": "bimtek"}, max_queries=12),
    "accounts.user": Case(_user, keeps={"q": "Akun"}, drops={"q": "tidak-ada"}, max_queries=12),
}


def _content(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_content(response).decode("utf-8").lstrip("\ufeff"))))


def _xlsx_rows(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(_content(response)), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def _text(rows) -> str:
    return "\n".join("|".join("" if v is None else str(v) for v in row) for row in rows)


URL_OF = {key: name for name, key in _export_urls().items()}


@pytest.mark.parametrize("key", sorted(CASES))
def test_export_walk(key, world, client_for, django_assert_max_num_queries):
    from django.utils import translation

    case = CASES[key]
    with translation.override("id"):
        ours = [case.make(world, REGION_A, f"Kendari{i}") for i in range(3)]
        theirs = case.make(world, REGION_B, "Baubau0")
    url = reverse(URL_OF[key])
    client = client_for(world.officer_a)

    with django_assert_max_num_queries(case.max_queries):
        xlsx = _text(_xlsx_rows(client.get(url, {"format": "xlsx"})))
    csv_text = _text(_csv_rows(client.get(url, {"format": "csv"})))
    for text in (xlsx, csv_text):
        assert all(mark in text for mark in ours), text
        assert theirs not in text

    kept = _text(_csv_rows(client.get(url, {"format": "csv", **case.keeps})))
    dropped = _text(_csv_rows(client.get(url, {"format": "csv", **case.drops})))
    assert ours[0] in kept
    assert ours[0] not in dropped

    # The other region's officer gets their own row only.
    other = _text(_csv_rows(client_for(world.officer_b).get(url, {"format": "csv"})))
    assert theirs in other and ours[0] not in other
