"""The owner import kind (``registry_owner``): new owners through the registry's bulk path, updates by NIK,
idempotent re-imports, the neutral answer for NIKs outside the user's scope, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import, suggest_mapping
from sentra.core.models import AuditEvent
from sentra.registry.models import Owner
from tests.core.importing_helpers import csv_bytes
from tests.registry.factories import OwnerFactory, make_nik

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    """The messages are asserted in Indonesian, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("id"):
        yield


HEADER = ("NIK", "Nama Lengkap", "L/P", "Tgl Lahir", "No HP", "Email", "Alamat")
PLACE = "Jl. Mawar 3, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari"


def _csv(tmp_path, rows, header=HEADER, name="pelaku.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes([list(header), *rows]))
    return path


def _run(path, user, **kwargs):
    return run_import(
        path=path, filename=path.name, kind=get_kind("registry_owner"), user=user, error_dir=path.parent, **kwargs
    )


def _row(n, *, name=None, place=PLACE, phone=None):
    return [make_nik(n), name or f"Pelaku Uji {n}", "P", "12/07/1985", phone or f"0812-3456-{n:04d}",
            f"uji{n}@contoh.id", place]  # fmt: skip


def test_new_owners_are_registered_with_their_village_and_audited(tmp_path, officer_region_a):
    outcome = _run(_csv(tmp_path, [_row(1), _row(2)]), officer_region_a)
    assert outcome.committed and outcome.stats.created == 2, outcome.messages
    owner = Owner.objects.get(nik=make_nik(1))
    assert (owner.full_name, owner.gender, owner.birth_date, owner.phone, owner.email) == (
        "Pelaku Uji 1", "P", dt.date(1985, 7, 12), "+6281234560001", "uji1@contoh.id",
    )  # fmt: skip
    assert (owner.region_id, owner.village_id) == ("74.71", "74.71.03.1002")
    assert AuditEvent.objects.filter(action="registry.owner.created", object_id=str(owner.pk)).exists()


def test_the_same_file_twice_changes_nothing_and_a_changed_row_updates_its_owner(tmp_path, officer_region_a):
    known = OwnerFactory(nik=make_nik(7), full_name="Lama Sekali", phone="+6281200000007", region_id="74.71")
    path = _csv(tmp_path, [_row(1), _row(7, name="Nama Baru", place="")])
    first = _run(path, officer_region_a)
    assert (first.stats.created, first.stats.updated) == (1, 1), first.messages
    known.refresh_from_db()
    assert (known.full_name, known.email, known.region_id, known.version) == ("Nama Baru", "uji7@contoh.id", "74.71", 2)
    event = AuditEvent.objects.get(action="registry.owner.updated", object_id=str(known.pk))
    assert event.changes["full_name"] == ["Lama Sekali", "Nama Baru"] and event.note == "impor"
    before = (list(Owner.objects.order_by("id").values()), AuditEvent.objects.count())
    again = _run(path, officer_region_a)
    assert again.committed and (again.stats.created, again.stats.updated, again.stats.unchanged) == (0, 0, 2)
    assert (list(Owner.objects.order_by("id").values()), AuditEvent.objects.count()) == before
    # A sparser file (empty cells) erases nothing.
    sparse = _run(_csv(tmp_path, [[make_nik(7), "Nama Baru", "", "", "", "", ""]], name="b.csv"), officer_region_a)
    assert sparse.stats.unchanged == 1
    known.refresh_from_db()
    assert known.email == "uji7@contoh.id"


def test_bad_rows_are_named_by_their_spreadsheet_row_and_all_or_nothing_writes_nothing(tmp_path, officer_region_a):
    elsewhere = OwnerFactory(region_id="74.72", nik=make_nik(5, regency="7472"), full_name="Orang Baubau")
    rows = [
        _row(1),
        ["123", "NIK Pendek", "", "", "", "", PLACE],
        [make_nik(2), "", "", "", "", "", PLACE],  # no name
        [elsewhere.nik, "Siapa", "", "", "", "", ""],  # registered outside the officer's scope
        [make_nik(3), "Tanpa Alamat", "", "", "", "", ""],  # new, with no place
        [make_nik(4), "Surel Salah", "", "", "", "bukan-surel", PLACE],
        [make_nik(6), "Jenis Salah", "X", "", "", "", PLACE],
        _row(1),  # the same person twice
    ]
    outcome = _run(_csv(tmp_path, rows), officer_region_a)
    assert not outcome.committed and not Owner.objects.filter(nik=make_nik(1)).exists()
    texts = {m["line"]: m["text"] for m in outcome.messages}
    assert "NIK" in texts[3]
    assert "Wajib diisi" in texts[4]
    assert texts[5].endswith("NIK tidak dapat dipakai. Hubungi petugas provinsi/nasional.")
    assert "Baubau" not in texts[5] and elsewhere.full_name not in texts[5]
    assert "Pelaku usaha baru perlu alamat" in texts[6]
    assert "bukan-surel" in texts[7]
    assert "Jenis kelamin" in texts[8]
    assert "Sama dengan baris 2" in texts[9]
    partial = _run(_csv(tmp_path, rows), officer_region_a, partial=True)
    assert partial.committed and partial.stats.created == 1 and partial.rejected == 7
    sheet = CalamineWorkbook.from_path(str(partial.error_path)).get_sheet_by_index(0).to_python()
    assert [int(r[-1]) for r in sheet[1:]] == [3, 4, 5, 6, 7, 8, 9]
    elsewhere.refresh_from_db()
    assert elsewhere.full_name == "Orang Baubau"


def test_a_row_in_another_regency_refuses_the_whole_file(tmp_path, officer_region_a):
    rows = [_row(1), _row(2, place="Kel. Wameo, Kec. Batupoaro, Kota Baubau")]
    outcome = _run(_csv(tmp_path, rows), officer_region_a, partial=True)
    assert not outcome.committed and Owner.objects.count() == 0
    assert any("di luar wilayah kewenangan Anda" in m["text"] for m in outcome.messages)


def test_a_deleted_owner_is_not_registered_again(tmp_path, officer_region_a):
    from django.utils import timezone

    gone = OwnerFactory(nik=make_nik(8), region_id="74.71", deleted_at=timezone.now())
    outcome = _run(_csv(tmp_path, [_row(8)]), officer_region_a)
    assert not outcome.committed and "sudah dihapus" in outcome.messages[0]["text"]
    assert Owner._base_manager.filter(nik=gone.nik).count() == 1


def test_queries_do_not_grow_with_the_rows(tmp_path, officer_region_a):
    def count(rows, name):
        path = _csv(tmp_path, rows, name=name)
        with CaptureQueriesContext(connection) as ctx:
            outcome = _run(path, officer_region_a)
        assert outcome.committed, outcome.messages
        return len(ctx.captured_queries)

    count([_row(9000)], "warm.csv")  # the first run also loads the content type and the regions once
    small = count([_row(n) for n in range(1, 4)], "a.csv")
    large = count([_row(n) for n in range(100, 140)], "b.csv")
    assert large == small
    for n in range(200, 240, 2):  # half of them known, with a new name: updated
        OwnerFactory(nik=make_nik(n), region_id="74.71")
    mixed = count([_row(n) for n in range(200, 240)], "c.csv")
    assert mixed <= small + 3  # the update statement and its audit events, once per batch
    unchanged = count([_row(n) for n in range(200, 240)], "c.csv")
    assert unchanged <= small


def test_the_template_the_suggested_mapping_and_the_preview(client, officer_region_a):
    kind = get_kind("registry_owner")
    assert suggest_mapping(["No", "Nama Lengkap", "NIK", "Jenis Kelamin", "No. HP", "Tanggal Lahir", "Address"], kind) == {
        1: "owner_name", 2: "owner_nik", 3: "owner_gender", 4: "owner_phone", 5: "owner_birth_date", 6: "address",
    }  # fmt: skip
    assert suggest_mapping(["ID number", "Full name", "Sex", "Phone", "Village", "City"], kind) == {
        0: "owner_nik", 1: "owner_name", 2: "owner_gender", 3: "owner_phone", 4: "village_name", 5: "regency_name",
    }  # fmt: skip
    client.force_login(officer_region_a)
    response = client.get(reverse("core:import_template") + "?jenis=registry_owner")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    assert sheet.to_python()[0][:3] == ["NIK", "Nama lengkap", "Jenis kelamin"]


def test_the_import_page_lists_the_kinds_the_user_may_import(client, officer_region_a, owner_user):
    client.force_login(officer_region_a)
    body = client.get(reverse("core:import_index")).content.decode()
    for key in ("registry_owner", "business", "quality_certification", "training_followup", "centres_tenancy"):
        assert f'{reverse("core:import_kind")}?jenis={key}"' in body
    page = client.get(reverse("core:import_kind") + "?jenis=registry_owner")
    assert page.status_code == 200 and "Pelaku usaha" in page.content.decode()
    assert client.get(reverse("core:import_kind") + "?jenis=tidak_ada").status_code == 404
    client.force_login(owner_user)
    assert client.get(reverse("core:import_index")).status_code == 403
    assert client.get(reverse("core:import_kind") + "?jenis=registry_owner").status_code == 403


def test_a_new_owner_without_address_takes_the_default_regency(tmp_path, officer_region_a):
    path = _csv(tmp_path, [[make_nik(31), "Tanpa Alamat", "", "", "", "", ""]])
    outcome = _run(path, officer_region_a, options={"default_region": "74.71"})
    assert outcome.committed, outcome.messages
    owner = Owner.objects.get(nik=make_nik(31))
    assert (owner.region_id, owner.village_id) == ("74.71", None)
