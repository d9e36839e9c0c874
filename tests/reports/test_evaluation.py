"""Programme evaluation: the estimator's coverage on synthetic data, history as of a date, scope, and the
download an auditor recomputes the page's figure from."""

from __future__ import annotations

import csv
import io
import math
import random

import pytest
from django.urls import reverse

from sentra.reports import effects
from sentra.reports.evaluation import evaluation_refresh
from sentra.reports.models import EvaluationRow, EvaluationSummary
from tests.reports.evaluation_data import build_region

# --- The estimator on plain numbers ---------------------------------------------------------------------------


def _synthetic(seed: int, effect: float, *, treated: int = 60, pool: int = 120) -> tuple[list, list]:
    """Log-normal baseline turnover; a common trend of +5 persen with noise for everyone; ``effect`` × for the
    treated. Matched by ``match_nearest`` as on the page."""
    rng = random.Random(seed)
    t_units = [(f"t{i}", math.exp(rng.gauss(18, 1))) for i in range(treated)]
    c_units = [(f"c{i}", math.exp(rng.gauss(18, 1))) for i in range(pool)]
    base = dict(t_units + c_units)
    pairs = effects.match_nearest(t_units, c_units)
    t_vals, c_vals = [], []
    for tid, cid in sorted(pairs.items()):
        t_vals.append((base[tid], base[tid] * math.exp(0.05 + rng.gauss(0, 0.2)) * effect))
        c_vals.append((base[cid], base[cid] * math.exp(0.05 + rng.gauss(0, 0.2))))
    return t_vals, c_vals


def _intervals(effect: float) -> list[effects.Estimate]:
    out = []
    for seed in range(200):
        t_vals, c_vals = _synthetic(seed, effect)
        est = effects.did(t_vals, c_vals, log=True, seed=seed, replicates=200)
        assert est is not None
        out.append(est)
    return out


def test_interval_covers_a_true_ten_percent_effect_in_90_to_98_percent_of_datasets():
    hits = 0
    for est in _intervals(1.10):
        hits += effects.as_percent(est.low) <= 10 <= effects.as_percent(est.high)
    assert 180 <= hits <= 196, hits


def test_interval_excludes_zero_without_an_effect_in_at_most_8_percent_of_datasets():
    wrong = sum(est.excludes_zero for est in _intervals(1.0))
    assert wrong <= 16, wrong


def test_estimate_is_deterministic():
    t_vals, c_vals = _synthetic(7, 1.1)
    first = effects.did(t_vals, c_vals, log=True, seed=effects.seed_of("kelas:1"))
    again = effects.did(t_vals, c_vals, log=True, seed=effects.seed_of("kelas:1"))
    assert first == again


def test_matching_uses_each_comparison_once_and_the_nearest():
    pairs = effects.match_nearest([("a", 100.0), ("b", 101.0)], [("x", 99.0), ("y", 500.0), ("z", 100.5)])
    # "a" (served first, the lower baseline) takes the nearest, "z"; "b" the nearest left, "x"; "y" stays unused.
    assert pairs == {"a": "z", "b": "x"}
    assert effects.match_nearest([("a", 1.0)], []) == {}


def test_no_pairs_no_estimate_and_missing_values_are_left_out():
    assert effects.did([], [], log=True, seed=1) is None
    est = effects.did([(100, 110), (None, 5), (0, 10)], [(100, 100), (1, 1), (1, 1)], log=True, seed=1)
    assert est is not None and est.n == 1
    assert effects.as_percent(est.point) == pytest.approx(10.0)


# --- The job, the page and the download -------------------------------------------------------------------------


@pytest.fixture
def two_regions(world):
    kendari = build_region("74.71", trained=8, untrained=12, growth=1.20, answered=6)
    baubau = build_region("74.72", trained=6, untrained=9, growth=1.0, answered=6)
    evaluation_refresh()
    return kendari, baubau


def _csv(client, **params) -> list[dict[str, str]]:
    response = client.get(reverse("reports:evaluation_csv"), {"format": "csv", **params})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _shown(html: str, group: str, outcome: str) -> str:
    marker = f'data-group="{group}"'
    part = html[html.index(marker) :]
    part = part[part.index(f'data-outcome="{outcome}"') :]
    return part.split("</li>", 1)[0]


def test_a_regency_officer_sees_only_businesses_in_scope(two_regions, client_for, world):
    client = client_for(world.officer_a)
    rows = _csv(client)
    assert rows and {r["kode_wilayah"] for r in rows} == {"74.71"}
    assert len(rows) == 8
    # Even asking for the other regency's rows gives nothing.
    assert _csv(client, wilayah="74.72") == []
    html = client.get(reverse("reports:outcomes")).content.decode()
    kendari_batch = rows[0]["kelas"]
    assert f'data-group="kelas:{kendari_batch}"' in html
    assert "n = 8 pasang" in _shown(html, f"kelas:{kendari_batch}", "turnover")
    # Baubau's class is nowhere on Kendari's page.
    baubau_batch = EvaluationRow.objects.filter(region_id="74.72").values_list("batch_id", flat=True).first()
    assert f'data-group="kelas:{baubau_batch}"' not in html
    # The officer of the other regency is refused the Kendari area.
    assert client_for(world.officer_b).get(reverse("reports:outcomes"), {"wilayah": "74.71"}).status_code == 404


def test_the_download_recomputes_the_shown_turnover_effect_exactly(two_regions, client_for, world):
    client = client_for(world.national)
    rows = _csv(client, wilayah="74.71")
    batch = rows[0]["kelas"]
    diffs = []
    for r in rows:
        if r["kelas"] != batch or r["berpasangan"] != "1":
            continue
        vals = [r[f"omzet_{who}_{when}"] for who in ("peserta", "pembanding") for when in ("awal", "sesudah")]
        if all(v and float(v) > 0 for v in vals):
            t0, t1, c0, c1 = map(float, vals)
            diffs.append(math.log(t1) - math.log(t0) - (math.log(c1) - math.log(c0)))
    shown = 100 * (math.exp(sum(diffs) / len(diffs)) - 1)
    html = client.get(reverse("reports:outcomes"), {"wilayah": "74.71"}).content.decode()
    sentence = _shown(html, f"kelas:{batch}", "turnover")
    assert f'data-point="{shown:.1f}"' in sentence
    assert f"{round(shown, 1):.1f}".replace(".", ",") in sentence
    # Trained grew 20 persen, comparable 5 persen: about +14 persen, clearly above zero.
    assert 10 < shown < 20
    # No names or contacts in the table.
    assert not any(h in rows[0] for h in ("nama", "NIK", "telepon", "alamat"))


def test_follow_up_answer_rate_and_no_effect_region(two_regions):
    data = EvaluationSummary.objects.get(area="74.72").data
    (batch,) = data["kelas"]
    assert batch["followup_due"] == 6 and batch["followup_answered"] == 6
    assert batch["turnover"]["low"] <= 0 <= batch["turnover"]["high"] or batch["turnover"]["point"] < 0
    kendari = EvaluationSummary.objects.get(area="74.71").data["kelas"][0]
    assert (kendari["followup_due"], kendari["followup_answered"]) == (8, 6)
    # The year before, trained and comparable grew alike: the pre-trend check finds no difference.
    assert kendari["turnover_pre"]["differs"] is False


def test_too_few_pairs_say_not_enough_data(world, client_for):
    build_region("74.71", trained=3, untrained=3, growth=1.2, answered=3)
    evaluation_refresh()
    data = EvaluationSummary.objects.get(area="74.71").data["kelas"][0]
    assert data["turnover"] is None
    html = client_for(world.officer_a).get(reverse("reports:outcomes")).content.decode()
    assert "Omzet: belum cukup data." in html


def test_a_change_queues_one_evaluation_refresh(world):
    from sentra.core.models import Job
    from sentra.reports.evaluation_jobs import KIND, on_domain_changed

    on_domain_changed(None, changes={"training.participant": ["74.71"], "quality.x": ["74.72"]})
    job = Job.objects.get(kind=KIND)
    assert job.params == {"region_ids": ["74.71"]}
