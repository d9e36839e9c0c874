"""The business import reports what the address matcher found: an address naming two regencies equally well is
refused with both named, and the row changes nothing; one the matcher settles is imported with its codes."""

from __future__ import annotations

from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.registry.models import Business


def _import(tmp_path, user, rows, **options):
    path = tmp_path / "usaha.csv"
    path.write_text("Nama Usaha,Alamat\n" + "\n".join(f'{name},"{address}"' for name, address in rows), "utf-8")
    return run_import(
        path=path,
        filename=path.name,
        kind=get_kind("business"),
        user=user,
        partial=True,
        error_dir=tmp_path,
        options=options or None,
    )


def test_an_ambiguous_address_is_refused_with_its_candidates(db, national_admin, tmp_path):
    outcome = _import(
        tmp_path,
        national_admin,
        [
            ("Tahu Bekasi", "Jl. Ahmad Yani 1, Bekasi, Jawa Barat"),
            ("Rendang Limapuluh", "Jl. Raya Sarilamak, Kabupaten Lima Puluh Kota, Sumatera Barat"),
            ("Batik Jaktim", "Jl. Pemuda 5, Kota Administrasi Jakarta Timur"),
        ],
    )
    assert (outcome.total, outcome.valid, outcome.rejected) == (3, 2, 1)
    [message] = outcome.messages
    assert "Kabupaten Bekasi (32.16), Kota Bekasi (32.75)" in message["errors"]["address"]
    assert not Business.objects.filter(name="Tahu Bekasi").exists()
    assert Business.objects.get(name="Rendang Limapuluh").region_id == "13.07"
    assert Business.objects.get(name="Batik Jaktim").region_id == "31.75"
