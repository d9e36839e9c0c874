import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from sentra.registry.models import Owner
from sentra.training import ratelimit
from sentra.training.choices import BatchStatus
from sentra.training.models import Participant
from tests.training.factories import make_batch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _data(**over):
    data = {
        "full_name": "Nur Aisyah",
        "nik": "7471035504980001",
        "birth_date": "1998-04-15",
        "gender": "P",
        "phone": "081234567890",
        "email": "aisyah@example.org",
        "region": "74.71",
        "business_plan": "plans",
        "business_name": "Keripik pisang",
        "motivation": "Ingin memulai usaha.",
        "consent": "on",
    }
    data.update(over)
    return data


def _open_batch(**kw):
    return make_batch(start=dt.date(2030, 8, 12), end=dt.date(2030, 8, 16), status=BatchStatus.OPEN, **kw)


def test_anonymous_applies_and_the_application_keeps_what_was_typed(client):
    batch = _open_batch()
    url = reverse("training:apply", args=[batch.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _data())
    assert response.status_code == 200
    assert "Pendaftaran terkirim" in response.content.decode()
    p = Participant.objects.get(batch=batch)
    assert p.status == "applied" and p.source == "public" and p.owner is None
    assert (p.applicant_name, p.applicant_nik, p.applicant_phone) == (
        "Nur Aisyah",
        "7471035504980001",
        "+6281234567890",
    )
    assert not Owner.objects.exists()  # the registry is written only by an officer
    # Applying twice with the same NIK gives the same answer and changes nothing.
    again = client.post(url, _data(full_name="Orang Lain"))
    assert "Pendaftaran terkirim" in again.content.decode()
    assert Participant.objects.filter(batch=batch).count() == 1
    assert Participant.objects.get(batch=batch).applicant_name == "Nur Aisyah"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"birth_date": "2015-01-01"}, "berusia"),
        ({"business_plan": "none"}, "memiliki atau berencana"),
    ],
)
def test_eligibility_rules(client, override, message):
    batch = _open_batch()
    response = client.post(reverse("training:apply", args=[batch.pk]), _data(**override))
    assert message in response.content.decode()
    assert not Participant.objects.filter(batch=batch).exists()
    assert not Owner.objects.filter(nik="7471035504980001").exists()


def test_region_outside_the_batch_is_not_offered(client):
    batch = _open_batch()
    response = client.post(reverse("training:apply", args=[batch.pk]), _data(region="74.72"))
    assert not Participant.objects.filter(batch=batch).exists()
    assert "pilihan yang tersedia" in response.content.decode() or "Pilih" in response.content.decode()


def test_has_business_required(client):
    batch = _open_batch(business_requirement="has")
    response = client.post(reverse("training:apply", args=[batch.pk]), _data())
    assert "sudah memiliki IKM" in response.content.decode()


def test_closed_batch_has_no_public_form(client):
    batch = make_batch(status=BatchStatus.CLOSED)
    assert client.get(reverse("training:apply", args=[batch.pk])).status_code == 404


def test_public_form_is_rate_limited_per_ip(client):
    batch = _open_batch()
    url = reverse("training:apply", args=[batch.pk])
    for i in range(5):
        response = client.post(url, _data(nik=f"74710355049800{i + 10:02d}"), REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 200
    blocked = client.post(url, _data(nik="7471035504980099"), REMOTE_ADDR="10.0.0.1")
    assert blocked.status_code == 429
    assert "coba lagi" in blocked.content.decode()
    assert not Owner.objects.filter(nik="7471035504980099").exists()
    # Another address is not affected.
    other = client.post(url, _data(nik="7471035504980098"), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_rate_limit_helper_window():
    assert all(ratelimit.hit("t", limit=3, window=60) for _ in range(3))
    assert ratelimit.hit("t", limit=3, window=60) is False
    assert ratelimit.hit("other", limit=3, window=60) is True


def test_public_list_shows_only_open_batches(client):
    open_batch = _open_batch()
    closed = make_batch(status=BatchStatus.CLOSED)
    body = client.get(reverse("training:open_batches")).content.decode()
    assert reverse("training:apply", args=[open_batch.pk]) in body
    assert reverse("training:apply", args=[closed.pk]) not in body
