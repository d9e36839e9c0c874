"""The home pages of business owners and trainers: their own things with a next step, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sentra.core.dashboard import home_sections
from sentra.training import services as training_services
from sentra.training.choices import BatchStatus
from sentra.training.models import BatchDay, Seats
from tests.quality.factories import CertificationFactory, make_indi
from tests.registry.factories import BusinessFactory, OwnerFactory
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db


def _queries(client, url="/"):
    client.get(url)  # warm the per-process caches (menu, filter choices, report forms): counted once, not per row
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _owner_world(owner_user, n: int):
    """``n`` businesses of the owner, each with a certificate soon to expire and a draft INDI 4.0 assessment,
    ``n`` classes they joined and ``n`` full classes open for applications."""
    today = timezone.localdate()
    owner = OwnerFactory(user=owner_user)
    for i in range(n):
        business = BusinessFactory(owners=[owner], name=f"Usaha Pemilik {i}")
        CertificationFactory(business=business, expires_on=today + dt.timedelta(days=20 + i))
        make_indi(business=business, submit=False)
        joined = make_batch(start=dt.date(2022, 7, 19 + i), end=dt.date(2022, 7, 25 + i))
        training_services.participant_register(actor=None, batch=joined, owner=owner, business=business, accept=True)
        full = make_batch(
            status=BatchStatus.OPEN, quota=1, start=today + dt.timedelta(days=30), end=today + dt.timedelta(days=33)
        )
        make_participant(full)
    return owner


def test_owner_home_shows_their_things_with_next_steps(client, owner_user):
    _owner_world(owner_user, 2)
    client.force_login(owner_user)
    count_small, html = _queries(client)
    assert 'data-testid="home-businesses"' in html and "Usaha Pemilik 0" in html
    assert 'data-testid="home-certifications"' in html and "Segera habis" in html
    assert "Perpanjang Sertifikat halal" in html
    assert 'data-testid="home-indi"' in html and "Lanjutkan pengisian" in html
    assert 'data-testid="home-trainings"' in html and "Kelas yang membuka pendaftaran" in html
    # a full class reads as full, counted over all its participants (not only the owner's own rows)
    assert "Kuota penuh (1/1); pendaftar baru masuk daftar tunggu" in html
    assert "tempat kosong" not in html
    # no officer counters on the owner's home page
    assert "Industri menengah" not in html and "Dasbor IKM" not in html

    more_owner = owner_user.owner_profile
    for i in range(3):  # three more businesses, certificates, assessments and classes: the same query count
        business = BusinessFactory(owners=[more_owner], name=f"Usaha Tambahan {i}")
        CertificationFactory(business=business, expires_on=timezone.localdate() + dt.timedelta(days=40))
        make_indi(business=business, submit=False)
        make_participant(make_batch(status=BatchStatus.OPEN, quota=2))
    count_large, html = _queries(client)
    assert "Usaha Tambahan 2" in html
    assert count_large == count_small


def test_owner_without_records_is_told_what_to_do(client, owner_user):
    client.force_login(owner_user)
    _count, html = _queries(client)
    assert "Belum ada usaha yang tercatat atas nama Anda" in html
    assert 'data-testid="home-indi"' not in html  # no business, nothing to assess
    assert "Belum ada kelas yang membuka pendaftaran" in html


def test_trainer_home_roll_call_today_and_missing_scores(client, trainer):
    today = timezone.localdate()
    running = make_batch(
        status=BatchStatus.CLOSED, start=today - dt.timedelta(days=2), end=today + dt.timedelta(days=5)
    )
    running.trainers.add(trainer)
    day, _created = BatchDay.objects.get_or_create(batch=running, date=today, defaults={"number": 50})
    make_participant(running)
    client.force_login(trainer)
    count_small, html = _queries(client)
    assert 'data-testid="home-classes"' in html and running.name in html
    assert f'href="/pelatihan/{running.pk}/presensi/hari-{day.number}/"' in html
    assert 'data-testid="home-scores"' in html and "1 peserta belum lengkap nilainya" in html
    # a trainer may not enter scores: the card says who does, and no link leads to a refused page
    assert f"/pelatihan/{running.pk}/nilai/" not in html
    assert "Serahkan lembar nilai" in html
    assert "Industri menengah" not in html

    for _ in range(3):
        other = make_batch(
            status=BatchStatus.CLOSED, start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=3)
        )
        other.trainers.add(trainer)
        BatchDay.objects.get_or_create(batch=other, date=today, defaults={"number": 50})
        make_participant(other)
        make_participant(other)
    count_large, _html = _queries(client)
    assert count_large == count_small


def test_trainer_home_lists_classes_running_then_upcoming_then_past(client, trainer):
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    past_2022 = make_batch(status=BatchStatus.COMPLETED, start=dt.date(2022, 7, 19), end=dt.date(2022, 7, 25))
    past_2023 = make_batch(status=BatchStatus.COMPLETED, start=dt.date(2023, 8, 14), end=dt.date(2023, 8, 19))
    later = make_batch(status=BatchStatus.OPEN, start=today + 60 * day, end=today + 65 * day)
    soon = make_batch(status=BatchStatus.OPEN, start=today + 20 * day, end=today + 25 * day)
    running = make_batch(status=BatchStatus.CLOSED, start=today - 2 * day, end=today + 3 * day)
    cancelled = make_batch(status=BatchStatus.CANCELLED, start=today + 10 * day, end=today + 12 * day)
    for batch in (past_2022, past_2023, later, soon, running, cancelled):
        batch.trainers.add(trainer)
    client.force_login(trainer)
    _count, html = _queries(client)
    card = html.split('data-testid="home-classes"', 1)[1].split("</ul>", 1)[0]
    listed = [int(pk) for pk in re.findall(r'href="/pelatihan/(\d+)/"', card)]
    assert listed == [running.pk, soon.pk, later.pk, past_2023.pk, past_2022.pk]
    assert f'href="/pelatihan/{running.pk}/" data-testid="home-next"' in html


def test_trainer_with_only_past_classes_sees_them_and_is_told(client, trainer):
    past = make_batch(status=BatchStatus.COMPLETED, start=dt.date(2022, 7, 19), end=dt.date(2022, 7, 25))
    past.trainers.add(trainer)
    client.force_login(trainer)
    _count, html = _queries(client)
    assert past.name in html and "kelas di bawah sudah selesai" in html


def test_trainer_without_classes_gets_hints_not_counters(client, trainer):
    client.force_login(trainer)
    _count, html = _queries(client)
    assert "Belum ada kelas yang akan datang atas nama Anda" in html
    assert "Tidak ada jadwal kelas hari ini maupun sesudahnya." in html


def test_officers_keep_the_dashboard(client, officer_region_a):
    assert home_sections(officer_region_a) == []
    client.force_login(officer_region_a)
    _count, html = _queries(client)
    assert "Dasbor IKM" in html
    assert 'data-testid="home-businesses"' not in html


def test_seats_wording():
    assert Seats(quota=30, accepted=30).label == "Kuota penuh (30/30); pendaftar baru masuk daftar tunggu"
    assert Seats(quota=30, accepted=31).full  # more accepted than the quota (quota lowered later): still full
    assert Seats(quota=30, accepted=1).label == "1/30 terisi, 29 tempat kosong"


def test_full_class_page_reads_full_for_its_participant(client, owner_user):
    batch = make_batch(quota=1)
    make_participant(batch)
    owner = OwnerFactory(user=owner_user)
    training_services.participant_register(
        actor=None, batch=batch, owner=owner, business=BusinessFactory(owners=[owner]), accept=True
    )  # the quota is taken: the owner waits
    client.force_login(owner_user)
    html = client.get(batch.get_absolute_url()).content.decode()
    assert "Kuota penuh (1/1); pendaftar baru masuk daftar tunggu" in html
