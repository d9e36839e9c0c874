"""The cluster rehearsal's own verdict can fail: an acknowledged save missing from the database is counted lost."""

from __future__ import annotations

import json
import time

import pytest
from bench.cluster import child_verify

from sentra.registry import services
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


def _log(path, entries):
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))


def test_saves_in_the_audit_trail_and_rows_are_not_lost_and_a_missing_one_is(tmp_path, officer_region_a):
    business = BusinessFactory(region_id="74.71")
    now = time.time()
    for n, value in enumerate(("Gladi satu", "Gladi dua")):
        business.refresh_from_db()
        services.business_update(actor=officer_region_a, business=business, commodity=value)
        saved = ("Gladi satu", "Gladi dua")[: n + 1]
        _log(tmp_path / "writes.jsonl", [{"id": business.pk, "value": v, "t": now + i} for i, v in enumerate(saved)])
    _log(tmp_path / "attempts.jsonl", [])
    args = {
        "writes": str(tmp_path / "writes.jsonl"),
        "attempts": str(tmp_path / "attempts.jsonl"),
        "job": None,
        "import_file": "",
        "import_rows": 0,
    }
    verdict = child_verify(**args)
    assert verdict["acknowledged"] == 2 and verdict["lost_count"] == 0

    # An acknowledged save that never reached the database (no audit event, the row holds an older value).
    _log(tmp_path / "writes.jsonl", [{"id": business.pk, "value": "Gladi hilang", "t": now + 5}])
    verdict = child_verify(**args)
    assert verdict["lost_count"] == 2  # no audit event, and the row does not hold the last acknowledged value
    reasons = {lost["why"] for lost in verdict["lost"]}
    assert "no audit event" in reasons and any("row holds 'Gladi dua'" in r for r in reasons)

    # A later save sent but never acknowledged (cut off on a killed node) may have committed: not a loss.
    _log(tmp_path / "writes.jsonl", [{"id": business.pk, "value": "Gladi satu", "t": now}])
    _log(tmp_path / "attempts.jsonl", [{"id": business.pk, "value": "Gladi dua", "t": now + 1}])
    assert child_verify(**args)["lost_count"] == 0
