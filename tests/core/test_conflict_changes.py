"""A refused stale save says who changed the record since the user loaded it, when, and which fields.

``test_concurrent_edits`` proves it for every edit page with one intervening change; these cover a refused
*action* (the 409 page of ``conflict_page``), several changes by several users (newest first, capped), the user's
own change in another tab, and version steps no versioned event records (counted, never invented or mis-named).
"""

from __future__ import annotations

import datetime as dt
import html as html_lib

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from sentra.accounts.roles import Role
from sentra.core.audit import audit_record
from sentra.core.models import AuditEvent
from sentra.core.versioning import CHANGES_SHOWN
from sentra.registry.models import Business
from sentra.registry.services import owner_reveal_nik
from tests.accounts.factories import UserFactory
from tests.core.test_concurrent_edits import _edit_form, _text_field, _with_text, conflict_block, conflict_changes
from tests.quality.factories import make_action
from tests.registry.factories import BusinessFactory, OwnerFactory
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db

KENDARI = "Petugas kabupaten/kota, Kota Kendari"


def _officer(username: str):
    return UserFactory(username=username, role=Role.REGENCY_OFFICER, region_id="74.71", phone="081277665544")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _at(user, hour: int, minute: int) -> None:
    """Pin the time of ``user``'s events (WIB = UTC+7), so the answer can be compared word for word."""
    AuditEvent.objects.filter(actor=user).update(at=dt.datetime(2026, 11, 29, hour - 7, minute, tzinfo=dt.UTC))


def _save(client: Client, url_name: str, kwargs: dict, text: str) -> None:
    path, form = _edit_form(client, url_name, kwargs)
    response = client.post(path, _with_text(form, _text_field(url_name, form), text))
    assert response.status_code == 302


def test_a_refused_status_change_page_names_who_changed_it(officer_region_a):
    action = make_action(responsible=officer_region_a)
    budi = _officer("budi")
    url = reverse("quality:action_transition", args=[action.pk])
    version = action.version
    viewer = _client(officer_region_a)
    assert f'value="{version}"' in viewer.get(action.get_absolute_url()).content.decode()
    assert _client(budi).post(url, {"to": "in_progress", "note": "Mulai", "version": version}).status_code == 302
    _at(budi, 10, 14)

    stale = viewer.post(url, {"to": "in_progress", "note": "Saya juga", "version": version})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert 'data-testid="conflict-back"' in page  # the action's 409 page, not a form
    assert conflict_changes(page) == [f"Diubah oleh budi ({KENDARI}) pada 29 Nov 2026 10.14: Status"]
    assert f"telah diubah oleh budi ({KENDARI}) pada 29 Nov 2026 10.14 sejak Anda membukanya" in html_lib.unescape(page)
    block = conflict_block(page)
    assert "081277665544" not in block and budi.full_name not in block


def test_a_refused_withdrawal_names_the_decision_made_meanwhile(officer_region_a):
    batch = make_batch()
    participant = make_participant(batch)
    version = participant.version
    sari = _officer("sari")
    decide = reverse("training:participant_decide", args=[batch.pk, participant.pk])
    withdraw = reverse("training:participant_withdraw", args=[batch.pk, participant.pk])
    assert _client(sari).post(decide, {"decision": "waitlisted", "reason": "", "version": version}).status_code == 302
    _at(sari, 8, 5)

    stale = _client(officer_region_a).post(withdraw, {"reason": "Sakit", "version": version})
    assert stale.status_code == 409
    lines = conflict_changes(stale.content.decode())
    assert len(lines) == 1 and lines[0].startswith(f"Diubah oleh sari ({KENDARI}) pada 29 Nov 2026 08.05: "), lines
    assert "Status" in lines[0].split(": ", 1)[1].split(", ")


def test_two_changes_by_two_users_are_listed_newest_first(officer_region_a):
    kwargs = {"pk": BusinessFactory(region_id="74.71").pk}
    viewer = _client(officer_region_a)
    path, form = _edit_form(viewer, "registry:business_edit", kwargs)
    field = _text_field("registry:business_edit", form)
    budi, sari = _officer("budi"), _officer("sari")
    _save(_client(budi), "registry:business_edit", kwargs, "Jalan Budi")
    _save(_client(sari), "registry:business_edit", kwargs, "Jalan Sari")
    _at(budi, 10, 14)
    _at(sari, 9, 30)  # an earlier clock (another server): the order still follows the versions

    stale = viewer.post(path, _with_text(form, field, "Jalan saya"))
    assert stale.status_code == 409
    page = stale.content.decode()
    lines = conflict_changes(page)
    assert [line.split(" pada ")[0] for line in lines] == [
        f"Diubah oleh sari ({KENDARI})",
        f"Diubah oleh budi ({KENDARI})",
    ]
    assert "pada 29 Nov 2026 09.30: Alamat" in lines[0] and "pada 29 Nov 2026 10.14: Alamat" in lines[1]
    assert f"telah diubah oleh sari ({KENDARI}) pada 29 Nov 2026 09.30" in html_lib.unescape(page)


def test_many_changes_are_capped_and_the_rest_counted(officer_region_a):
    kwargs = {"pk": BusinessFactory(region_id="74.71").pk}
    viewer = _client(officer_region_a)
    path, form = _edit_form(viewer, "registry:business_edit", kwargs)
    field = _text_field("registry:business_edit", form)
    users = [_officer("budi"), _officer("sari")]
    for n in range(CHANGES_SHOWN + 2):
        _save(_client(users[n % 2]), "registry:business_edit", kwargs, f"Jalan {n}")

    stale = viewer.post(path, _with_text(form, field, "Jalan saya"))
    assert stale.status_code == 409
    lines = conflict_changes(stale.content.decode())
    assert len(lines) == CHANGES_SHOWN + 1
    # newest first: the last save (n = 6) was budi's, then sari, budi, ...
    assert [line.split(" (")[0] for line in lines[:CHANGES_SHOWN]] == [
        "Diubah oleh budi",
        "Diubah oleh sari",
        "Diubah oleh budi",
        "Diubah oleh sari",
        "Diubah oleh budi",
    ]
    assert lines[-1] == "Dan 2 perubahan lain sejak Anda membukanya."


def test_the_users_own_change_in_another_tab_is_named_as_such(officer_region_a):
    kwargs = {"pk": BusinessFactory(region_id="74.71").pk}
    client = _client(officer_region_a)
    path, first_tab = _edit_form(client, "registry:business_edit", kwargs)
    field = _text_field("registry:business_edit", first_tab)
    _save(client, "registry:business_edit", kwargs, "Jalan tab kedua")  # the second tab saves first
    _at(officer_region_a, 11, 2)

    stale = client.post(path, _with_text(first_tab, field, "Jalan tab pertama"))
    assert stale.status_code == 409
    lines = conflict_changes(stale.content.decode())
    assert lines == ["Diubah oleh Anda sendiri (di tab atau jendela lain) pada 29 Nov 2026 11.02: Alamat"]
    # The message above the form says the same, instead of naming the user to themselves as someone else.
    page = html_lib.unescape(stale.content.decode())
    assert "Data ini telah Anda ubah sendiri di tab atau jendela lain pada 29 Nov 2026 11.02" in page
    assert f"telah diubah oleh {officer_region_a.username}" not in page


def test_version_steps_without_a_versioned_event_are_counted_not_invented(officer_region_a):
    """A raw version step whose event carries no version (an event written before events recorded versions, or a
    raw UPDATE such as a centre's status change) is counted, never attributed to anyone."""
    business = BusinessFactory(region_id="74.71")
    kwargs = {"pk": business.pk}
    viewer = _client(officer_region_a)
    path, form = _edit_form(viewer, "registry:business_edit", kwargs)
    field = _text_field("registry:business_edit", form)
    budi = _officer("budi")
    _save(_client(budi), "registry:business_edit", kwargs, "Jalan Budi")
    _at(budi, 10, 14)
    importer = _officer("pengimpor")
    Business._base_manager.filter(pk=business.pk).update(version=F("version") + 1)  # a raw UPDATE
    audit_record(actor=importer, action="registry.business.updated", obj=business, changes={"name": ["a", "b"]})

    stale = viewer.post(path, _with_text(form, field, "Jalan saya"))
    assert stale.status_code == 409
    page = html_lib.unescape(stale.content.decode())
    assert conflict_changes(page) == [
        f"Diubah oleh budi ({KENDARI}) pada 29 Nov 2026 10.14: Alamat",
        "Dan 1 perubahan lain sejak Anda membukanya.",
    ]
    assert "pengimpor" not in conflict_block(page)
    assert "telah diubah oleh" not in page  # the newest change is not budi's: he is not named as the last one

    # Only steps without an event: how many, and nobody named.
    _, form = _edit_form(viewer, "registry:business_edit", kwargs)
    Business._base_manager.filter(pk=business.pk).update(version=F("version") + 1)
    stale = viewer.post(path, _with_text(form, field, "Jalan saya"))
    assert stale.status_code == 409
    assert conflict_changes(stale.content.decode()) == ["Data ini diubah 1 kali sejak Anda membukanya."]


def test_an_access_to_the_record_is_not_a_change(officer_region_a):
    owner = OwnerFactory(region_id="74.71")
    kwargs = {"pk": owner.pk}
    viewer = _client(officer_region_a)
    path, form = _edit_form(viewer, "registry:owner_edit", kwargs)
    field = _text_field("registry:owner_edit", form)
    budi, opener = _officer("budi"), _officer("pembuka_nik")
    _save(_client(budi), "registry:owner_edit", kwargs, "Nama Baru")
    _at(budi, 10, 14)
    owner.refresh_from_db()
    owner_reveal_nik(actor=opener, owner=owner)  # an event on the record, after budi's change, at its version

    stale = viewer.post(path, _with_text(form, field, "Nama Saya"))
    assert stale.status_code == 409
    lines = conflict_changes(stale.content.decode())
    assert len(lines) == 1 and lines[0].startswith(f"Diubah oleh budi ({KENDARI}) pada 29 Nov 2026 10.14: "), lines
    block = conflict_block(stale.content.decode())
    assert "pembuka_nik" not in block and owner.nik not in block


def test_an_attendance_mark_meanwhile_is_named_on_the_refused_mark(officer_region_a):
    """The participant row locks its attendance marks (``_claim_participant``): the mark records its version too."""
    batch = make_batch()
    participant = make_participant(batch)
    day = batch.days.order_by("date").first()
    toggle = reverse("training:attendance_toggle", args=[batch.pk, day.number, participant.pk])
    sari = _officer("sari")
    version = participant.version
    assert _client(sari).post(toggle, {"present": "1", "version": version}).status_code == 302
    _at(sari, 7, 45)

    stale = _client(officer_region_a).post(toggle, {"present": "0", "version": version})
    assert stale.status_code == 409
    assert conflict_changes(stale.content.decode()) == [
        f"Diubah oleh sari ({KENDARI}) pada 29 Nov 2026 07.45: Hadir {day.date:%d-%m-%Y}"
    ]


def test_an_import_that_updated_the_record_meanwhile_is_named_with_its_fields(officer_region_a, tmp_path):
    """A real import (matched by NIB) bumps the version in its UPDATE and records the version it produced."""
    from sentra.core.importing import get_kind
    from sentra.core.importing.engine import run_import
    from tests.core.importing_helpers import csv_bytes

    business = BusinessFactory(region_id="74.71", nib="9120000000777", workforce_male=2)
    kwargs = {"pk": business.pk}
    viewer = _client(officer_region_a)
    path, form = _edit_form(viewer, "registry:business_edit", kwargs)
    field = _text_field("registry:business_edit", form)
    importer = _officer("pengimpor")
    upload = tmp_path / "usaha.csv"
    upload.write_bytes(
        csv_bytes(
            [
                ["NIB", "Nama Usaha", "Alamat", "KBLI", "Tenaga Kerja Laki-laki"],
                ["9120000000777", business.name, "Jl. Baru 1, Kel. Lepo Lepo, Kota Kendari", "31001", "9"],
            ]
        )
    )
    outcome = run_import(path=upload, filename=upload.name, kind=get_kind("business"), user=importer)
    assert outcome.committed and outcome.stats.updated == 1, outcome.messages
    _at(importer, 9, 30)
    business.refresh_from_db()
    assert AuditEvent.objects.get(actor=importer, action="registry.business.updated").version == business.version

    stale = viewer.post(path, _with_text(form, field, "Jalan saya"))
    assert stale.status_code == 409
    [line] = conflict_changes(stale.content.decode())
    assert line.startswith(f"Diubah oleh pengimpor ({KENDARI}) pada 29 Nov 2026 09.30: ")
    assert "Tenaga kerja laki-laki" in line and "Alamat" in line
