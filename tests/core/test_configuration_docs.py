"""docs/configuration.md documents exactly the environment variables the settings read.

The settings (src/sentra/settings/*.py) are parsed, not imported: every ``env("NAME")``, ``env_int``,
``env_bool``, ``env_list``, ``env_required``, ``os.environ.get("NAME")``, ``os.environ["NAME"]`` and
``os.getenv("NAME")`` with a literal name counts. The page lists each variable as the first cell of a table row
(`` | `NAME` | ... ``). A variable read but not documented, or documented but not read, fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "src" / "sentra" / "settings"
PAGE = ROOT / "docs" / "configuration.md"

ENV_HELPERS = {"env", "env_int", "env_bool", "env_list", "env_required"}
ENVIRON_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", re.MULTILINE)


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_os_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and getattr(node.value, "id", None) == "os"


def variables_read(source: str) -> set[str]:
    """Names of the environment variables a settings module reads."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if isinstance(func, ast.Name) and func.id in ENV_HELPERS:
                name = _literal(node.args[0])
            elif isinstance(func, ast.Attribute) and func.attr in {"get", "setdefault"} and _is_os_environ(func.value):
                name = _literal(node.args[0])
            elif isinstance(func, ast.Attribute) and func.attr == "getenv" and getattr(func.value, "id", None) == "os":
                name = _literal(node.args[0])
            else:
                continue
            if name:
                names.add(name)
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            if name := _literal(node.slice):
                names.add(name)
    return names


def settings_variables() -> set[str]:
    names: set[str] = set()
    for module in sorted(SETTINGS.glob("*.py")):
        if module.name == "env.py":  # the helpers themselves: they read the name they are given
            continue
        names |= variables_read(module.read_text(encoding="utf-8"))
    return names


def documented_variables() -> set[str]:
    return set(ENVIRON_ROW.findall(PAGE.read_text(encoding="utf-8")))


def test_the_parser_sees_every_way_of_reading_a_variable():
    source = (
        "import os\n"
        "A = env('ONE', 'x')\nB = env_int('TWO', 1)\nC = env_bool('THREE')\nD = env_list('FOUR', '')\n"
        "E = env_required('FIVE', 'hint')\nF = os.environ.get('SIX')\nG = os.environ['SEVEN']\nH = os.getenv('EIGHT')\n"
        "I = env(name)\nJ = settings.get('NOT_ENV')\n"
    )
    assert variables_read(source) == {"ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT"}


def test_the_settings_read_the_variables_everyone_relies_on():
    # Guards the parser against finding nothing (which would make the page check below vacuous).
    assert {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SENTRA_IMPORT_MAX_MB"} <= (
        settings_variables()
    )


def test_every_variable_the_settings_read_is_documented():
    missing = settings_variables() - documented_variables()
    assert not missing, f"docs/configuration.md does not document: {', '.join(sorted(missing))}"


def test_every_documented_variable_is_read_by_the_settings():
    stale = documented_variables() - settings_variables()
    assert not stale, f"docs/configuration.md documents variables the settings do not read: {', '.join(sorted(stale))}"
