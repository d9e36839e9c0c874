"""Every computed result and every locked control on the class pages says its rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from sentra.core.errors import DomainError
from sentra.training import services
from sentra.training.models import Programme
from tests.training.factories import complete_participant, make_batch, make_participant

pytestmark = pytest.mark.django_db


def _six_day_batch():
    # Mon 18 – Sat 23 July 2022: six working days.
    return make_batch(start=dt.date(2022, 7, 18), end=dt.date(2022, 7, 23))


def test_pass_rule_in_days_and_points():
    rule = Programme(min_attendance_pct=80, min_post_test=Decimal("60.00")).pass_rule(6)
    assert rule.min_days == 5  # 4.8 days rounded up: 4/6 is 66.7 %
    assert rule.text == "Syarat lulus: hadir minimal 5 dari 6 hari (80%) dan nilai post-test minimal 60."
    assert Programme(min_attendance_pct=75, min_post_test=Decimal("72.50")).pass_rule(4).min_days == 3


@pytest.mark.parametrize(
    ("present", "post", "reasons"),
    [
        (5, "60", ()),
        (3, "55", ("kehadiran 3/6 hari, kurang dari 5", "post-test 55 < 60")),
        (6, "59.5", ("post-test 59,5 < 60",)),
        (4, None, ("kehadiran 4/6 hari, kurang dari 5", "nilai post-test belum diisi")),
    ],
)
def test_each_failure_names_its_reasons(present, post, reasons):
    programme = Programme(min_attendance_pct=80, min_post_test=Decimal(60))
    check = services.pass_check(
        present_days=present, total_days=6, post_test=Decimal(post) if post else None, programme=programme
    )
    assert check.passed is (not reasons)
    assert check.reasons == reasons
    # The reasons and the yes/no rule never disagree.
    assert check.passed is services.passes(
        present_days=present, total_days=6, post_test=Decimal(post) if post else None, programme=programme
    )


def test_class_page_states_the_rule_and_each_failed_reason(client_for, officer_region_a):
    batch = _six_day_batch()
    failed = complete_participant(make_participant(batch), present_days=3, post="55")
    passed = complete_participant(make_participant(batch), present_days=6, post="80")
    client = client_for(officer_region_a)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="pass-rule">Hadir minimal 5 dari 6 hari (80%) dan nilai post-test minimal 60<' in page
    assert ">Hitung kelulusan<" in page and "Kelulusan belum dihitung" in page  # issuing is disabled, and why

    response = client.post(reverse("training:batch_assess", args=[batch.pk]), follow=True)
    page = response.content.decode()
    assert "1 lulus, 1 tidak lulus" in page and "Syarat lulus: hadir minimal 5 dari 6 hari" in page
    assert f'data-testid="fail-reason-{failed.pk}">kehadiran 3/6 hari, kurang dari 5; post-test 55 &lt; 60<' in page
    assert f"fail-reason-{passed.pk}" not in page
    # Results exist: the button says it recomputes, and the page no longer asks to compute first.
    assert "Hitung ulang kelulusan" in page and "Hitung kelulusan dulu" not in page
    assert 'data-testid="issue-blocked"' not in page  # one passed participant is waiting for a certificate


def test_nobody_passed_says_so_instead_of_compute_first(client_for, officer_region_a):
    batch = _six_day_batch()
    for _ in range(2):
        complete_participant(make_participant(batch), present_days=3, post="55")
    services.batch_assess(actor=None, batch=batch)
    with pytest.raises(DomainError) as exc:
        services.certificates_issue(actor=None, batch=batch)
    assert "Tidak ada peserta yang lulus (2 tidak lulus)" in exc.value.messages[0]
    page = client_for(officer_region_a).get(batch.get_absolute_url()).content.decode()
    assert "Tidak ada peserta yang lulus (2 tidak lulus)" in page
    assert "Hitung kelulusan dulu" not in page and "belum dihitung" not in page


def test_certified_roll_call_row_is_locked_with_its_reason(client_for, officer_region_a):
    batch = _six_day_batch()
    done = complete_participant(make_participant(batch), present_days=6, post="90")
    open_row = make_participant(batch)
    services.batch_assess(actor=None, batch=batch)
    (cert,) = services.certificates_issue(actor=None, batch=batch)
    done.refresh_from_db()
    assert done.attendance_lock_reason.startswith(f"Terkunci: sertifikat {cert.number} sudah terbit")
    assert open_row.attendance_lock_reason == ""

    client = client_for(officer_region_a)
    page = client.get(reverse("training:attendance_day", args=[batch.pk, 1])).content.decode()
    assert f'data-testid="rollcall-lock-{done.pk}">Terkunci: sertifikat {cert.number}' in page
    assert f"rollcall-lock-{open_row.pk}" not in page
    assert "hadir minimal 5 dari 6 hari" in page
    grid = client.get(reverse("training:attendance_grid", args=[batch.pk])).content.decode()
    assert f'data-testid="grid-lock-{done.pk}"' in grid

    # The service refuses with the same words, and nothing changes.
    day = batch.days.get(number=1)
    with pytest.raises(DomainError) as exc:
        services.attendance_set(actor=None, participant=done, day=day, present=False)
    assert exc.value.messages[0] == done.attendance_lock_reason
    assert done.attendance.get(day=day).present is True


def test_withdrawn_participant_lock_reason_names_the_status():
    batch = _six_day_batch()
    p = make_participant(batch)
    services.participant_withdraw(actor=None, participant=p, reason="Pindah kota")
    p.refresh_from_db()
    assert p.attendance_lock_reason == (
        "Terkunci: status mengundurkan diri; presensi hanya untuk peserta yang diterima."
    )
