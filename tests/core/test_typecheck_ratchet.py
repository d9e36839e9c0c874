"""The type-check ratchet (``scripts/typecheck_ratchet.py``): the baseline may only go down, and the core and every
app's services, selectors and querysets must be clean whatever the baseline says."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ratchet(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("typecheck_ratchet", ROOT / "scripts" / "typecheck_ratchet.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.chdir(tmp_path)  # the script reads and writes .mypy-baseline.json in the working directory
    return module


def _run(ratchet, tmp_path, errors: dict[str, int], baseline: dict[str, int], *options: str) -> int:
    lines = [
        f"src/{path}:{n + 1}: error: Something is wrong  [misc]" for path, count in errors.items() for n in range(count)
    ]
    (tmp_path / "mypy.txt").write_text("\n".join(["src/sentra/x.py:1: note: only a note", *lines]) + "\n")
    (tmp_path / ".mypy-baseline.json").write_text(json.dumps(baseline))
    return ratchet.main([str(tmp_path / "mypy.txt"), *options])


@pytest.mark.parametrize(
    "module",
    [
        "sentra.core.scope",
        "sentra.core.importing.engine",
        "sentra.core",
        "sentra.registry.services",
        "sentra.training.selectors",
        "sentra.budget.querysets",
        "sentra.quality.services.scores",
    ],
)
def test_core_and_use_case_modules_are_strict(ratchet, module):
    assert ratchet.is_strict(module)


@pytest.mark.parametrize(
    "module", ["sentra.registry.views", "sentra.demo.training", "sentra.training.imports", "sentra.corelike.services2"]
)
def test_other_modules_follow_the_baseline(ratchet, module):
    assert not ratchet.is_strict(module)


def test_an_error_in_a_strict_module_fails_even_when_the_baseline_allows_it(ratchet, tmp_path, capsys):
    rc = _run(ratchet, tmp_path, {"sentra/registry/services.py": 2}, {"sentra.registry.services": 5})
    assert rc == 1
    out = capsys.readouterr().out
    assert "sentra.registry.services: 2" in out
    assert "src/sentra/registry/services.py:1: error" in out


def test_a_module_outside_the_strict_set_may_keep_its_baseline(ratchet, tmp_path, capsys):
    assert _run(ratchet, tmp_path, {"sentra/registry/views.py": 3}, {"sentra.registry.views": 3}) == 0
    assert "OK, 3 mypy errors" in capsys.readouterr().out


def test_a_module_outside_the_strict_set_may_not_gain_errors(ratchet, tmp_path, capsys):
    assert _run(ratchet, tmp_path, {"sentra/registry/views.py": 4}, {"sentra.registry.views": 3}) == 1
    assert "sentra.registry.views: 3 -> 4" in capsys.readouterr().out


def test_update_lowers_the_baseline_but_never_baselines_a_strict_module(ratchet, tmp_path):
    assert _run(ratchet, tmp_path, {"sentra/registry/views.py": 1}, {"sentra.registry.views": 3}, "--update") == 0
    assert json.loads((tmp_path / ".mypy-baseline.json").read_text()) == {"sentra.registry.views": 1}

    errors = {"sentra/registry/views.py": 1, "sentra/core/scope.py": 1}
    assert _run(ratchet, tmp_path, errors, {"sentra.registry.views": 1, "sentra.core.scope": 1}, "--update") == 1
    assert json.loads((tmp_path / ".mypy-baseline.json").read_text()) == {
        "sentra.registry.views": 1,
        "sentra.core.scope": 1,
    }
