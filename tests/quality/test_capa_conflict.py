"""a stale CAPA status change answers with the 409 conflict page, and the first change stays."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sentra.accounts.roles import Role
from sentra.quality.models import CorrectiveAction
from tests.accounts.factories import UserFactory
from tests.quality.factories import make_action

pytestmark = pytest.mark.django_db


def test_stale_status_change_is_a_409_page_and_nothing_is_lost(officer_region_a):
    action = make_action(responsible=officer_region_a)
    second = UserFactory(username="kendari_officer_2", role=Role.REGENCY_OFFICER, region_id="74.71")
    first, other = Client(), Client()
    first.force_login(officer_region_a)
    other.force_login(second)
    url = reverse("quality:action_transition", args=[action.pk])
    version = action.version
    assert f'value="{version}"' in first.get(action.get_absolute_url()).content.decode()
    ok = first.post(url, {"to": "in_progress", "note": "Mulai", "version": version})
    assert ok.status_code == 302
    stale = other.post(url, {"to": "in_progress", "note": "Saya juga", "version": version})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert 'data-testid="conflict"' in html and 'data-testid="conflict-back"' in html
    assert action.get_absolute_url() in html
    action = CorrectiveAction.objects.get(pk=action.pk)
    assert action.status == "in_progress" and action.version == version + 1
