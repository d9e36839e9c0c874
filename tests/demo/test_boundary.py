"""The demo is data kept apart from the product: no domain module imports ``sentra.demo`` (it sits above every
app and drives their services), and ``core`` imports no domain app (it learns about them through its registries)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "sentra"
DOMAIN_APPS = (
    "accounts",
    "periodic",
    "registry",
    "budget",
    "centres",
    "training",
    "quality",
    "products",
    "reports",
    "api",
)


def imported_modules(path: Path) -> set[str]:
    """Every ``sentra`` module ``path`` imports, at the top or inside a function, or names as a dotted path."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("sentra."):
            found.add(node.value)  # import_module("sentra.demo...") or a dotted path handed to a registry
    return {name for name in found if name.startswith("sentra.")}


def _imports_of(module: str, prefixes: tuple[str, ...]) -> dict[str, list[str]]:
    offenders = {}
    for path in sorted((SRC / module).rglob("*.py") if module else SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] in ("demo", "settings") or "migrations" in rel.parts:
            continue
        bad = sorted(n for n in imported_modules(path) if any(n == p or n.startswith(p + ".") for p in prefixes))
        if bad:
            offenders[str(rel)] = bad
    return offenders


def test_no_product_module_imports_the_demo():
    assert _imports_of("", ("sentra.demo",)) == {}, "demo code lives in sentra.demo and is run by load_demo"


def test_core_imports_no_domain_app():
    assert _imports_of("core", tuple(f"sentra.{app}" for app in DOMAIN_APPS)) == {}


def test_the_guard_finds_what_it_forbids(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import sentra.demo.users\nfrom sentra import demo\nfrom sentra.demo.context import KENDARI\n"
        "def f():\n    from sentra.accounts.models import User\n"
        "STEP = 'sentra.demo.training.load_training'\nfrom . import demo as local\n",
        encoding="utf-8",
    )
    found = imported_modules(bad)
    assert {"sentra.demo.users", "sentra.demo", "sentra.demo.context", "sentra.accounts.models"} <= found
    assert "sentra.demo.training.load_training" in found
