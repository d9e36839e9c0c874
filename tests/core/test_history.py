"""The "Riwayat" as people read it: actions in words, field labels, values formatted like the pages, newest first,
collapsed after five, the same for every record kind."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sentra.core.history import SHOWN, VERBS, action_sentence, history_entries, record_history
from sentra.core.models import AuditEvent
from sentra.registry import services
from sentra.registry.models import Business
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    """The sentences are checked in Indonesian, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("id"):
        yield


def _update(actor, business, **fields):
    services.business_update(actor=actor, business=Business.objects.get(pk=business.pk), **fields)


def test_values_are_formatted_as_the_pages_format_them(officer_region_a):
    business = BusinessFactory(turnover=Decimal("1150000000.00"))
    _update(officer_region_a, business, turnover=Decimal("1265000000.00"))
    (entry, *_rest) = record_history(Business.objects.get(pk=business.pk))
    assert entry.sentence == "Usaha (IKM) diubah"
    assert officer_region_a.username in entry.actor
    (change,) = [c for c in entry.changes if c.label.startswith("Hasil penjualan")]
    assert (change.before, change.after) == ("Rp1.150.000.000", "Rp1.265.000.000")


def test_choices_booleans_dates_and_foreign_keys_in_words(officer_region_a):
    from sentra.registry.models import Business as Model

    event = AuditEvent(
        action="registry.business.updated",
        actor=officer_region_a,
        actor_name=officer_region_a.username,
        at=dt.datetime(2026, 1, 3, 9, 30, tzinfo=dt.UTC),
        changes={
            "status": ["active", "closed"],
            "region": ["74.71", "74.72"],
            "year_started": [2019, 2020],
            "unknown_key": [None, "x"],
        },
    )
    (entry,) = history_entries(Model, [event])
    by_label = {c.label: (c.before, c.after) for c in entry.changes}
    from sentra.regions.models import Region

    assert by_label["Kabupaten/kota"] == (str(Region.objects.get(pk="74.71")), str(Region.objects.get(pk="74.72")))
    status_before, status_after = next(v for k, v in by_label.items() if k.lower().startswith("status"))
    assert "active" not in status_before and "closed" not in status_after  # the choice's label, not its code
    assert by_label["Unknown key"] == ("–", "x")
    assert ("2019", "2020") in by_label.values()  # a year is not a number with a thousands separator
    assert not any(re.search(r"\w+\.\w+\.\w+", c.before + c.after) for c in entry.changes)


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("budget.activityplan.approved", "Rencana kegiatan disetujui"),
        ("budget.activityplan.returned", "Rencana kegiatan dikembalikan untuk perbaikan"),
        ("registry.owner.nik_revealed", "NIK dibuka"),
        ("periodic.submission.exported_xlsx", "Laporan berkala diunduh"),
        ("something.unknown.zapped", "Data diperbarui"),
    ],
)
def test_actions_in_words(action, expected):
    assert action_sentence(action, None).lower() == expected.lower()


def test_every_action_code_in_the_source_has_words():
    """A new action verb without words would show the generic sentence: name it here when it is added."""
    from pathlib import Path

    source = "\n".join(p.read_text() for p in Path("src/sentra").rglob("*.py"))
    verbs = {m.split(".")[-1] for m in re.findall(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"', source)}
    missing = sorted(v for v in verbs if v not in VERBS)
    assert not missing, missing


def test_the_page_shows_words_newest_first_and_collapses_after_five(client_for, officer_region_a):
    business = BusinessFactory(name="Nama 0")
    for number in range(1, 8):
        _update(officer_region_a, business, name=f"Nama {number}")
    html = client_for(officer_region_a).get(reverse("registry:business_history", args=[business.pk])).content.decode()
    assert "registry.business" not in html and "Usaha (IKM) diubah" in html
    shown, hidden = html.split("<details", 1)
    assert shown.count("<li") == SHOWN
    assert "Tampilkan 2 riwayat lainnya" in hidden
    assert shown.index("&rarr; Nama 7") < shown.index("&rarr; Nama 6")  # newest first
    assert "<del>Nama 6</del>" in shown


def test_the_history_costs_the_same_queries_for_many_events(
    client_for, officer_region_a, django_assert_max_num_queries
):
    business = BusinessFactory(name="Awal")
    client = client_for(officer_region_a)
    url = reverse("registry:business_history", args=[business.pk])
    _update(officer_region_a, business, name="Satu")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for number in range(12):
        _update(officer_region_a, business, name=f"Ganti {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_user_page_history_in_words(client_for, national_admin, officer_region_a):
    from sentra.accounts.models import User
    from sentra.accounts.services import user_update

    user_update(actor=national_admin, user=User.objects.get(pk=officer_region_a.pk), full_name="Nama Baru")
    html = client_for(national_admin).get(reverse("accounts:user_detail", args=[officer_region_a.pk])).content.decode()
    assert "accounts.user" not in html and "Nama Baru" in html and "diubah" in html


def test_only_rupiah_fields_are_money_and_a_new_records_values_are_folded(officer_region_a):
    from sentra.core.history import FOLD_AFTER

    event = AuditEvent(
        action="registry.business.created",
        actor=officer_region_a,
        actor_name=officer_region_a.username,
        at=dt.datetime(2026, 1, 3, 9, 30, tzinfo=dt.UTC),
        changes={
            "id": [None, 7],
            "production_capacity": [None, "2601.00"],
            "installed_capacity": [None, "5448.00"],
            "turnover": [None, "1250000000.00"],
            "name": [None, "Mebel"],
            "workforce_male": [None, 3],
        },
    )
    (entry,) = history_entries(Business, [event])
    by_label = {c.label: c.after for c in entry.changes}
    assert not any(c.label == "Id" or c.label == "ID" for c in entry.changes)
    assert by_label["Kapasitas produksi per tahun"] == "2.601"
    assert by_label["Kapasitas terpasang per tahun"] == "5.448"
    assert by_label["Hasil penjualan per tahun (Rp)"] == "Rp1.250.000.000"
    assert entry.initial and entry.folded == (len(entry.changes) > FOLD_AFTER)
