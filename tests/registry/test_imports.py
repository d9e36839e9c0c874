"""The business import kind on real registers ."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.registry.classification import industry_size, umkm_size
from sentra.registry.imports import RegionMatcher, split_legal_form
from sentra.registry.models import Business, size_classes

DATA = Path(__file__).parent / "data"
DIY = DATA / "kemenperin_direktori_eksportir_DIY_crawl2020.csv"


@pytest.mark.parametrize(
    ("raw", "name", "form"),
    [
        ("Ab Brother, CV", "Ab Brother", "cv"),
        ("Abi Elang Indo, PT", "Abi Elang Indo", "pt"),
        ("Anam Putra, Ud.", "Anam Putra", "ud"),
        ("PT. Maju Jaya", "Maju Jaya", "pt"),
        ("CV Mebel Jati", "Mebel Jati", "cv"),
        ("UD. Sinar Baru", "Sinar Baru", "ud"),
        ("Apikri", "Apikri", None),
        ("Ptolemy Craft", "Ptolemy Craft", None),
        ("Cvita Rasa", "Cvita Rasa", None),
    ],
)
def test_legal_form_is_split_from_the_name(raw, name, form):
    assert split_legal_form(raw) == (name, form)


@pytest.mark.parametrize(
    ("address", "expected", "confidence"),
    [
        ("Jl. Kaliurang Km. 9,3 No.77, Sleman, D.I. Yogyakarta", "34.04", "regency"),
        ("Jl. Glagahsari Uh.iv/606 Rt24/06 Warungboto Umbul Harjo, Yogyakarta, D.I. Yogyakarta", "34.71", None),
        ("Jl. Poros Lepo-Lepo No. 12, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari", "74.71.03.1002", "village"),
        ("Jl. Poros, Baruga, Kendari, Sulawesi Tenggara", "74.71.03", "district"),
        ("Jl. Mawar 3, Kabupaten Konawe Selatan, Sultra", "74.05", "regency"),
        ("Jl. Mawar 3, Kab. Sleman, DIY", "34.04", "regency"),
    ],
)
def test_addresses_are_matched_to_region_codes(db, address, expected, confidence):
    location, conf = RegionMatcher().match(address)
    found = location["village"] or location["district"] or location["region"]
    assert found.startswith(expected)
    if confidence:
        assert conf == confidence


def test_an_address_without_a_regency_is_reported_not_guessed(db):
    location, conf = RegionMatcher().match("Jl. Merdeka No. 5, RT 02")
    assert conf is None and location["region"] is None
    location, conf = RegionMatcher().match("Jl. Merdeka No. 5", default_region="74.71")
    assert conf == "default" and location["region"] == "74.71"


def test_an_ambiguous_bare_name_is_not_guessed(db):
    # Bandung is both a kabupaten and a kota in Jawa Barat: without "Kab."/"Kota" neither is chosen.
    location, conf = RegionMatcher().match("Jl. Asia Afrika 8, Bandung, Jawa Barat")
    assert conf is None
    location, conf = RegionMatcher().match("Jl. Asia Afrika 8, Kota Bandung, Jawa Barat")
    assert location["region"] == "32.73"


def test_the_diy_sample_imports_with_every_row_in_or_reported(db, national_admin, tmp_path):
    outcome = run_import(
        path=DIY, filename=DIY.name, kind=get_kind("business"), user=national_admin, partial=True, error_dir=tmp_path
    )
    assert outcome.total == 153
    assert outcome.valid + outcome.rejected == 153
    assert outcome.stats.created == outcome.valid == Business.objects.count()
    assert outcome.valid >= 140, outcome.messages[:5]
    for message in outcome.messages:
        assert message["text"]
    ab = Business.objects.get(name="Ab Brother")
    assert ab.legal_form == "cv" and ab.region_id == "34.04"  # Sleman
    assert Business.objects.filter(region__code__startswith="34.").count() == outcome.valid
    # Re-importing the same file changes nothing.
    again = run_import(
        path=DIY, filename=DIY.name, kind=get_kind("business"), user=national_admin, partial=True, error_dir=tmp_path
    )
    assert again.stats.created == 0 and again.stats.updated == 0
    assert again.stats.unchanged == outcome.valid


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.none(), st.integers(min_value=0, max_value=500)),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=10**11, places=2, allow_nan=False)),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=10**11, places=2, allow_nan=False)),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=10**11, places=2, allow_nan=False)),
)
def test_bulk_size_classes_follow_the_classification_rules(workers, investment, turnover, capital):
    industry = industry_size(workers, investment)
    umkm = umkm_size(turnover, capital)
    assert size_classes(workers, investment, turnover, capital) == (
        industry.value if industry else "",
        umkm.value if umkm else "",
    )


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([["NIB", "Nama Usaha", "Alamat", "KBLI", "Omzet"], *rows])
    return path


def _row(i: int, *, turnover: str = "12.500.000") -> list[str]:
    return [f"{9120001000000 + i}", f"CV Impor Uji {i}", "Jl. Uji, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari",
            "31001", turnover]  # fmt: skip


def test_an_import_is_audited_by_one_event_per_batch_that_each_record_history_finds(
    db, officer_region_a, client_for, tmp_path, settings
):
    from django.urls import reverse

    from sentra.core.audit import audit_history
    from sentra.core.models import AuditEvent

    settings.SENTRA_IMPORT_BATCH_SIZE = 3
    path = _write_csv(tmp_path / "usaha.csv", [_row(i) for i in range(7)])
    outcome = run_import(path=path, filename="usaha.csv", kind=get_kind("business"), user=officer_region_a)
    assert outcome.committed and outcome.stats.created == 7
    created = AuditEvent.objects.filter(action="registry.business.created")
    # One event per batch of 3 (not one per record), saying who imported and listing every id.
    assert created.count() == 3
    assert {e.actor_id for e in created} == {officer_region_a.pk} and {e.note for e in created} == {"impor"}
    listed = sorted(pk for e in created for lo, hi in e.changes["bulk"]["ranges"] for pk in range(lo, hi + 1))
    assert listed == sorted(Business.objects.values_list("pk", flat=True))
    first = created.order_by("id").first().changes["bulk"]
    assert first["same"]["kbli_id"] and len(first["columns"]["nib"]) == 3  # shared values once, the rest per record
    # Each record's history page shows the import with its own values, and no one else's.
    business = Business.objects.get(nib="9120001000004")
    history = list(audit_history(business))
    assert [e.action for e in history] == ["registry.business.created"]
    html = client_for(officer_region_a).get(reverse("registry:business_history", args=[business.pk])).content.decode()
    assert "Usaha (IKM) dibuat" in html and officer_region_a.username in html
    assert "9120001000004" in html and "9120001000003" not in html
    # A later change is listed above it.
    from sentra.registry import services

    services.business_update(actor=officer_region_a, business=business, name="Nama Baru")
    assert [e.action for e in audit_history(business)] == ["registry.business.updated", "registry.business.created"]


def test_a_soft_deleted_business_matched_by_nib_is_restored_and_audited(db, officer_region_a, tmp_path):
    from sentra.core.audit import audit_history
    from sentra.registry import services

    path = _write_csv(tmp_path / "usaha.csv", [_row(1), _row(2)])
    run_import(path=path, filename="usaha.csv", kind=get_kind("business"), user=officer_region_a)
    gone = Business.objects.get(nib="9120001000001")
    services.business_delete(actor=officer_region_a, business=gone)
    assert Business.objects.get(pk=gone.pk).deleted_at is not None
    # The same NIB comes back in a file, with a new turnover: the record is restored and updated, not duplicated.
    path = _write_csv(tmp_path / "lagi.csv", [_row(1, turnover="99.000.000"), _row(2)])
    outcome = run_import(path=path, filename="lagi.csv", kind=get_kind("business"), user=officer_region_a)
    assert outcome.committed and outcome.rejected == 0
    assert (outcome.stats.created, outcome.stats.updated, outcome.stats.unchanged) == (0, 1, 1)
    assert Business._base_manager.filter(nib="9120001000001").count() == 1
    back = Business._base_manager.get(pk=gone.pk)
    assert back.deleted_at is None and back.deleted_by_id is None and back.turnover == 99_000_000
    actions = [e.action for e in audit_history(back)]
    assert actions[:2] in (
        ["registry.business.updated", "registry.business.restored"],
        ["registry.business.restored", "registry.business.updated"],
    )
    assert all(e.actor_id == officer_region_a.pk for e in audit_history(back))
    # Restored without a change: still restored, and audited.
    services.business_delete(actor=officer_region_a, business=Business.objects.get(pk=gone.pk))
    again = run_import(path=path, filename="lagi.csv", kind=get_kind("business"), user=officer_region_a)
    assert (again.stats.updated, again.stats.unchanged) == (1, 1)
    assert Business._base_manager.get(pk=gone.pk).deleted_at is None
    assert [e.action for e in audit_history(back)].count("registry.business.restored") == 2


@pytest.mark.parametrize(
    "address",
    [
        "Jl. Kaliurang Km. 9,3 No.77, Sleman, D.I. Yogyakarta",
        "Jl. Glagahsari Uh.iv/606 Rt24/06 Warungboto Umbul Harjo, Yogyakarta, D.I. Yogyakarta",
        "Jl. Poros Lepo-Lepo No. 12, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari",
        "Jl. Poros, Baruga, Kendari, Sulawesi Tenggara",
        "Jl. Mawar 3, Kabupaten Konawe Selatan, Sultra",
        "Jl. Asia Afrika 8, Bandung, Jawa Barat",
        "Jl. Merdeka No. 5, RT 02",
        "Lepo Lepo, Baruga",
        "Kec. Baruga, Kel. Baruga, Kota Kendari",
    ],
)
def test_matching_once_per_signature_gives_what_matching_every_address_gives(db, address, monkeypatch):
    monkeypatch.setattr(RegionMatcher, "SIGNATURES_AFTER", 0)
    matcher = RegionMatcher()
    for default in (None, "74.71"):
        assert matcher.match_cached(address, default_region=default) == RegionMatcher().match(
            address, default_region=default
        )


def test_addresses_differing_only_in_the_street_are_matched_once(db, monkeypatch):
    monkeypatch.setattr(RegionMatcher, "SIGNATURES_AFTER", 3)
    matcher = RegionMatcher()
    calls = []
    original = RegionMatcher.match
    monkeypatch.setattr(RegionMatcher, "match", lambda self, *a, **k: calls.append(a) or original(self, *a, **k))
    results = {
        str(matcher.match_cached(f"Jl. Bunga Nomor {i}, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari")) for i in range(50)
    }
    assert len(calls) == 3 + 1 and len(results) == 1  # three one by one, then one per signature
    location, confidence = matcher.match_cached("Jl. Bunga Nomor 7, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari")
    assert location["village"] == "74.71.03.1002" and confidence == "village"
    # A street part that does name a place is part of the signature.
    matcher.match_cached("Jl. Bunga, Baruga, Kota Kendari")
    assert len(calls) == 5


def test_a_bulk_event_with_ids_out_of_order_still_gives_each_record_its_values(db, officer_region_a):
    from sentra.core.audit import audit_event_changes, audit_history
    from sentra.core.importing.bulk import audit_bulk_created
    from tests.registry.factories import BusinessFactory

    first, second, third = BusinessFactory(name="Satu"), BusinessFactory(name="Dua"), BusinessFactory(name="Tiga")
    audit_bulk_created(
        actor=officer_region_a, action="registry.business.created", model=Business, ids=[third.pk, first.pk],
        columns={"name": ["Tiga", "Satu"], "region_id": ["74.71", "74.71"]}, summary="2 usaha",
    )  # fmt: skip
    for business, name in ((first, "Satu"), (third, "Tiga")):
        (event,) = [e for e in audit_history(business) if e.object_id == "*"]
        assert event.actor == officer_region_a
        assert audit_event_changes(event, business) == {"name": [None, name], "region_id": [None, "74.71"]}
    assert not [e for e in audit_history(second) if e.object_id == "*"]  # between the two, but not listed
