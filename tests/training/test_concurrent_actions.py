"""withdrawal, the attendance and score grids and alumni follow-ups are locked on the participant row.

Each test opens the page as two officers (the same version), lets the first one save, then posts the second one's
stale submit: it must be refused with 409 and the first save must still be stored.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sentra.training.choices import ParticipantStatus
from sentra.training.models import Attendance, FollowUp, Participant
from tests.accounts.factories import UserFactory
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(officer_region_a):
    from sentra.accounts.roles import Role

    second = UserFactory(username="kendari_officer_2", role=Role.REGENCY_OFFICER, region_id="74.71")
    first, other = Client(), Client()
    first.force_login(officer_region_a)
    other.force_login(second)
    return first, other


def _version(html: str, name: str = "version") -> int:
    return int(re.search(rf'name="{name}"[^>]*value="(\d+)"', html).group(1))


def test_stale_withdrawal_is_refused(two):
    first, other = two
    batch = make_batch()
    p = make_participant(batch)
    version = p.version
    decide = reverse("training:participant_decide", args=[batch.pk, p.pk])
    withdraw = reverse("training:participant_withdraw", args=[batch.pk, p.pk])
    assert f'name="version" value="{version}"' in first.get(batch.get_absolute_url()).content.decode()
    response = first.post(decide, {"decision": "waitlisted", "reason": "", "version": version})
    assert response.status_code == 302
    stale = other.post(withdraw, {"reason": "Sakit", "version": version})
    assert stale.status_code == 409
    assert 'data-testid="conflict"' in stale.content.decode()
    p.refresh_from_db()
    assert p.status == ParticipantStatus.WAITLISTED and p.decision_reason == ""
    # Reloaded (the current version): the withdrawal goes through.
    assert other.post(withdraw, {"reason": "Sakit", "version": p.version}).status_code == 302
    p.refresh_from_db()
    assert p.status == ParticipantStatus.WITHDRAWN


def test_stale_decision_is_a_409_page_not_a_message(two):
    first, other = two
    batch = make_batch()
    p = make_participant(batch, accept=False)
    decide = reverse("training:participant_decide", args=[batch.pk, p.pk])
    assert first.post(decide, {"decision": "accepted", "version": p.version}).status_code == 302
    stale = other.post(decide, {"decision": "rejected", "reason": "Kuota", "version": p.version})
    assert stale.status_code == 409
    p.refresh_from_db()
    assert p.status == ParticipantStatus.ACCEPTED


@pytest.mark.parametrize("htmx", [True, False])
def test_stale_attendance_mark_is_refused(two, htmx):
    first, other = two
    batch = make_batch()
    p = make_participant(batch)
    day = batch.days.order_by("date").first()
    page = first.get(reverse("training:attendance_day", args=[batch.pk, day.number])).content.decode()
    version = _version(page)
    assert version == Participant.objects.get(pk=p.pk).version
    toggle = reverse("training:attendance_toggle", args=[batch.pk, day.number, p.pk])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    ok = first.post(toggle, {"present": "1", "version": version}, **headers)
    assert ok.status_code in (200, 302)
    stale = other.post(toggle, {"present": "0", "version": version}, **headers)
    assert stale.status_code == 409
    assert "telah diubah" in stale.content.decode()
    assert Attendance.objects.get(participant=p, day=day).present is True


def test_next_mark_in_the_same_row_uses_the_refreshed_version(two):
    """The grid refreshes the row's version out of band, so the same officer can mark the next day."""
    first, _other = two
    batch = make_batch()
    p = make_participant(batch)
    d1, d2 = list(batch.days.order_by("date"))[:2]
    grid = first.get(reverse("training:attendance_grid", args=[batch.pk])).content.decode()
    version = _version(grid)
    response = first.post(
        reverse("training:attendance_toggle", args=[batch.pk, d1.number, p.pk]),
        {"present": "1", "cell": "1", "version": version},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert f'hx-swap-oob="outerHTML:.pv-{p.pk}"' in html
    new = int(re.search(r'class="pv-\d+" value="(\d+)"[^>]*hx-swap-oob', html).group(1))
    assert new == version + 1
    response = first.post(
        reverse("training:attendance_toggle", args=[batch.pk, d2.number, p.pk]),
        {"present": "0", "cell": "1", "version": new},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert {a.day_id: a.present for a in Attendance.objects.filter(participant=p)} == {d1.pk: True, d2.pk: False}


def _scores_form(rows: dict) -> dict:
    """The score grid's POST: ``{participant: (version, pre, post)}``, every row loaded with empty scores."""
    data = {}
    for p, (version, pre, post) in rows.items():
        data |= {f"version_{p.pk}": version, f"was_pre_{p.pk}": "", f"was_post_{p.pk}": ""}
        data |= {f"pre_{p.pk}": pre, f"post_{p.pk}": post}
    return data


def test_stale_scores_are_refused_and_nothing_is_written(two):
    first, other = two
    batch = make_batch()
    a, b = make_participant(batch), make_participant(batch)
    url = reverse("training:scores", args=[batch.pk])
    page = first.get(url).content.decode()
    va, vb = _version(page, f"version_{a.pk}"), _version(page, f"version_{b.pk}")

    def form(a_post: str, b_post: str) -> dict:
        return _scores_form({a: (va, "40", a_post), b: (vb, "50", b_post)})

    assert first.post(url, form("80", "")).status_code == 302
    # The second officer (page opened before that save) types other marks for both rows: refused, all of it.
    stale = other.post(url, form("70", "90"))
    assert stale.status_code == 409
    html = stale.content.decode()
    assert 'data-testid="conflict"' in html and a.owner.full_name in html
    assert 'value="90"' in html  # what they typed is still in the form
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.post_test == Decimal("80.00") and b.pre_test == Decimal("50.00") and b.post_test is None


def test_scores_of_another_row_from_a_stale_page_are_saved(two):
    """Per-row locking: a row the second officer left as loaded does not block their other rows."""
    first, other = two
    batch = make_batch()
    a, b = make_participant(batch), make_participant(batch)
    url = reverse("training:scores", args=[batch.pk])
    page = other.get(url).content.decode()
    va, vb = _version(page, f"version_{a.pk}"), _version(page, f"version_{b.pk}")
    first.post(url, {f"version_{a.pk}": va, f"pre_{a.pk}": "40", f"post_{a.pk}": "80"})
    response = other.post(url, _scores_form({a: (va, "", ""), b: (vb, "45", "75")}))
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.post_test == Decimal("80.00") and b.post_test == Decimal("75.00")


def test_stale_followup_is_refused(two):
    first, other = two
    batch = make_batch()
    p = make_participant(batch)
    url = reverse("training:participant_followup", args=[batch.pk, p.pk])
    version = _version(first.get(url).content.decode())
    data = {"months": "6", "contacted_on": "2023-01-30", "turnover": "Rp 600.000.000", "workforce": "9"}
    assert first.post(url, {**data, "version": version}).status_code == 302
    stale = other.post(url, {**data, "months": "3", "workforce": "4", "version": version})
    assert stale.status_code == 409
    assert 'data-testid="conflict"' in stale.content.decode()
    assert list(FollowUp.objects.filter(participant=p).values_list("months", "workforce")) == [(6, 9)]
