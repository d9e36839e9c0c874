"""Typed helpers for settings read from the environment.

Every value may also come from a file named by ``<NAME>_FILE`` (Docker/systemd secrets), as healthchecks does.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import overload


class MissingSetting(RuntimeError):
    """A required environment variable is not set (production refuses to start)."""


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    # With a default the value is never None: the overloads tell settings readers so.
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_required(name: str, hint: str) -> str:
    value = env(name)
    if not value:
        raise MissingSetting(f"Pengaturan {name} wajib diisi untuk produksi / {name} is required in production: {hint}")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    value = env(name, default) or ""
    return [item.strip() for item in value.split(",") if item.strip()]
