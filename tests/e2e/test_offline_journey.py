"""Journeys without a connection: a trainer's roll call, a conflict with an officer's change, the owner's INDI 4.0.

Going offline is both the browser's offline mode (``context.set_offline``: ``navigator.onLine`` and the
browser's requests, its service worker's included) and a pulled cable between the phone and the server
(tests/e2e/cable.py), so no request of any page reaches the server while offline. The pages are reloaded
offline, so they must come from the worker's cache, and the database is read while offline: nothing may have
arrived before the connection returns, and everything must have arrived after it.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.cable import Cable
from tests.e2e.conftest import SENTRA, SERVER_ENV, login

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path("/tmp/offline")
SENT = 60_000  # ms: the whole queue is sent one answer after another when the connection returns


def server_python(code: str) -> object:
    """Run ``code`` in the served demo's database (as another user would act there); it prints one JSON value."""
    done = subprocess.run(
        [SENTRA, "shell", "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n{code}"],
        env=SERVER_ENV,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_class(size: int) -> dict:
    return server_python(f"""
import json
from django.contrib.auth import get_user_model
from sentra.registry.models import Owner
from tests.registry.factories import BusinessFactory, OwnerFactory
from tests.training.factories import make_batch, make_participant
# Each run of this code starts the factories' numbers afresh: go on after the people made before (NIK is unique).
start = 5000 + Owner.objects.filter(full_name__startswith="Peserta Luring").count()
OwnerFactory.reset_sequence(start)
BusinessFactory.reset_sequence(start)
batch = make_batch(trainers=[get_user_model().objects.get(username="pelatih")], quota={size})
people = [make_participant(batch, name="Peserta Luring %02d" % i) for i in range(1, {size} + 1)]
print(json.dumps({{"batch": batch.pk, "people": [p.pk for p in people]}}))
""")


def day_one_marks(made: dict) -> dict:
    return {
        int(k): v
        for k, v in server_python(f"""
import json
from sentra.training.models import Attendance
rows = Attendance.objects.filter(participant__batch_id={made["batch"]}, day__number=1)
print(json.dumps({{str(a.participant_id): a.present for a in rows}}))
""").items()
    }


@pytest.fixture
def cable(demo_server):
    cable = Cable(demo_server)
    yield cable
    cable.close()


def go_offline(context, cable: Cable) -> None:
    context.set_offline(True)
    cable.unplug()


def go_online(context, cable: Cable) -> None:
    cable.plug()
    context.set_offline(False)


def phone(browser, cable: Cable, width: int = 390):
    context = browser.new_context(
        base_url=cable.url,
        locale="id-ID",
        viewport={"width": width, "height": 844},
        is_mobile=width < 600,
        has_touch=width < 600,
        service_workers="allow",
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def wait_until_kept(page, *paths: str) -> None:
    """The worker is active and the page put these paths in its cache (it does so after loading, while online)."""
    page.wait_for_function(
        """async (paths) => {
            const reg = await navigator.serviceWorker.ready;
            if (!reg.active || !navigator.serviceWorker.controller) return false;
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                const hits = await Promise.all(paths.map((p) => cache.match(p, { ignoreVary: true })));
                if (hits.every(Boolean)) return true;
            }
            return false;
        }""",
        arg=list(paths),
        polling=250,
    )


OFFLINE_PAGE = "Halaman ini perlu koneksi internet"


def go_offline_on_kept_page(context, cable: Cable, page, *kept: str) -> None:
    """Reload the page (the worker controls it from its second load on), wait until the page tells the user it
    is kept for offline use, then reload it without a connection: it must come from the worker's cache."""
    page.reload()
    expect(page.get_by_test_id("offline-ready")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("offline-not-kept")).to_be_hidden()
    wait_until_kept(page, *kept)
    go_offline(context, cable)
    page.reload()
    page.wait_for_load_state()
    expect(page.locator("h1").first).not_to_have_text(OFFLINE_PAGE)
    expect(page.get_by_test_id("offline-ready")).to_be_hidden()  # it speaks of the connection, not of the cache


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_trainer_takes_a_30_person_roll_call_offline(browser, cable):
    made = make_class(30)
    context, page = phone(browser, cable)
    login(page, "pelatih")
    day = f"/pelatihan/{made['batch']}/presensi/hari-1/"
    page.goto(day)
    expect(page.get_by_test_id("offline-ready")).to_be_visible(timeout=30_000)
    shot(page, "rollcall-kept-390")
    go_offline_on_kept_page(
        context, cable, page, day, "/static/sentra/offline-training.js", "/static/sentra/offline.js"
    )
    expect(page.locator("h1")).to_contain_text("Presensi hari 1")
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    expect(page.get_by_test_id("offline-banner")).to_contain_text("Jawaban disimpan di perangkat")
    buttons = page.locator("[data-testid=rollcall] button")
    expect(buttons).to_have_count(30)
    for i in range(30):
        buttons.nth(i).click()
        expect(page.get_by_test_id("offline-counter")).to_have_text(f"belum terkirim: {i + 1}")
    expect(page.get_by_test_id("present-count")).to_have_text("30")
    expect(page.locator("[data-testid=rollcall] button[aria-pressed=true]")).to_have_count(30)
    shot(page, "rollcall-offline-390")
    assert day_one_marks(made) == {}  # nothing reached the server while offline

    go_online(context, cable)
    expect(page.get_by_test_id("offline-counter")).to_be_hidden(timeout=SENT)
    expect(page.get_by_test_id("offline-banner")).to_be_hidden()
    assert day_one_marks(made) == dict.fromkeys(made["people"], True)
    context.close()


def test_a_change_made_meanwhile_by_an_officer_is_shown_as_a_conflict(browser, cable):
    made = make_class(3)
    first = made["people"][0]
    context, page = phone(browser, cable, 1280)
    login(page, "pelatih")
    grid = f"/pelatihan/{made['batch']}/presensi/"
    page.goto(grid)
    go_offline_on_kept_page(context, cable, page, grid, "/static/sentra/offline-training.js")
    expect(page.locator("h1")).to_contain_text("Daftar hadir")  # the grid, from the worker's cache
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    page.locator(f"form[data-participant='{first}'][data-day='1'] button").click()
    expect(page.get_by_test_id("offline-counter")).to_have_text("belum terkirim: 1")
    # Meanwhile an officer at the office marks the same participant absent, through the service.
    server_python(f"""
from django.contrib.auth import get_user_model
from sentra.training import services
from sentra.training.models import Participant
p = Participant.objects.get(pk={first})
services.attendance_set(actor=get_user_model().objects.get(username="kendari"), participant=p,
                        day=p.batch.days.get(number=1), present=False)
print("null")
""")

    go_online(context, cable)
    conflict = page.get_by_test_id("offline-conflict")
    expect(conflict).to_be_visible(timeout=SENT)
    expect(conflict).to_contain_text("Peserta Luring 01, hari 1")
    expect(conflict.get_by_test_id("offline-yours")).to_have_text("hadir")
    expect(conflict.get_by_test_id("offline-theirs")).to_have_text("tidak hadir")  # the officer's
    expect(conflict).to_contain_text(re.compile("Diubah oleh .*kendari"))
    expect(page.get_by_test_id("offline-counter")).to_have_text("belum terkirim: 1")
    shot(page, "conflict-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "conflict-390")
    assert day_one_marks(made) == {first: False}  # the officer's mark was not overwritten

    conflict.get_by_role("button", name="Pakai nilai saya").click()
    expect(page.get_by_test_id("offline-counter")).to_be_hidden(timeout=SENT)
    assert day_one_marks(made) == {first: True}
    context.close()


def make_owner() -> str:
    """An owner of their own new business: the demo's owner is left to the other journeys, whose drafts and
    results would otherwise meet this one's on the same served demo."""
    return server_python("""
import json
from django.contrib.auth import get_user_model
from sentra.accounts.roles import Role
from sentra.registry.models import Owner
from tests.registry.factories import BusinessFactory, OwnerFactory
start = 7000 + Owner.objects.filter(full_name__startswith="Pemilik Luring").count()
OwnerFactory.reset_sequence(start)
BusinessFactory.reset_sequence(start)
name = "pemilik_luring_%d" % start
user = get_user_model().objects.create_user(
    username=name, password="sentra-demo", role=Role.BUSINESS_OWNER, region_id="74.71", full_name="Pemilik Luring"
)
owner = OwnerFactory(full_name="Pemilik Luring %d" % start, user=user)
BusinessFactory(name="Usaha Luring %d" % start, owners=[owner])
print(json.dumps(name))
""")


def test_owner_completes_indi_offline_and_it_arrives_after_reconnecting(browser, cable):
    username = make_owner()
    context, page = phone(browser, cable)
    login(page, username)
    page.goto("/mutu/")
    page.locator("a[href^='/mutu/usaha/']").first.click()
    page.get_by_test_id("indi-start").click()
    expect(page.get_by_test_id("indi-progress")).to_contain_text("Pertanyaan 1 dari 17")
    pk = int(re.search(r"/mutu/indi/(\d+)/isi/1/", page.url).group(1))

    def stored() -> dict:
        return server_python(f"""
import json
from sentra.quality.models import IndiAssessment
a = IndiAssessment.objects.get(pk={pk})
print(json.dumps({{"status": a.status, "answers": a.answers.count()}}))
""")

    steps = [f"/mutu/indi/{pk}/isi/{n}/" for n in range(1, 19)]
    go_offline_on_kept_page(context, cable, page, *steps, "/static/sentra/offline-indi.js")
    expect(page.get_by_test_id("indi-progress")).to_contain_text("Pertanyaan 1 dari 17")
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    page.get_by_test_id("indi-next").tap()  # no level chosen: refused on the phone as it is online
    expect(page.locator("[data-offline-error]")).to_contain_text("Pilih salah satu tingkat")
    for step in range(1, 18):
        expect(page.get_by_test_id("indi-progress")).to_contain_text(f"Pertanyaan {step} dari 17")
        page.locator(f"label[for=score-{step % 5}]").tap()
        page.get_by_test_id("indi-next").tap()
    expect(page.get_by_test_id("offline-counter")).to_have_text("belum terkirim: 17")
    submit = page.get_by_test_id("indi-submit")
    expect(submit).to_be_enabled()
    submit.tap()
    expect(page.get_by_test_id("offline-counter")).to_have_text("belum terkirim: 18")
    shot(page, "indi-review-offline-390")
    assert stored() == {"status": "draft", "answers": 0}

    go_online(context, cable)
    expect(page.get_by_test_id("offline-counter")).to_be_hidden(timeout=SENT)
    assert stored() == {"status": "submitted", "answers": 17}
    context.close()
