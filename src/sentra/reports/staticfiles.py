"""A staticfiles finder for single files shipped inside installed Python packages.

The dashboard's charts use plotly.js, which the ``plotly`` package on PyPI ships as
``plotly/package_data/plotly.min.js``. Only that one file is served (as ``vendor/plotly/plotly.min.js``), not the
rest of the package's data (sample data sets, the Jupyter widget bundle), and nothing is copied into the repo.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

#: static path prefix → (package, directory inside the package, file names served from it)
PACKAGE_FILES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "vendor/plotly": ("plotly", "package_data", ("plotly.min.js",)),
}


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)  # no import: plotly's Python side is never loaded
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


class PackageFileFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storages: dict[str, tuple[FileSystemStorage, tuple[str, ...]]] = {}
        for prefix, (package, subdir, names) in PACKAGE_FILES.items():
            root = _package_dir(package)
            if root is None:
                continue
            storage = FileSystemStorage(location=root / subdir)
            storage.prefix = prefix  # type: ignore[attr-defined]
            self.storages[prefix] = (storage, names)

    def check(self, **kwargs: Any) -> list[Error]:
        missing = [prefix for prefix in PACKAGE_FILES if prefix not in self.storages]
        return [
            Error(
                f"The package behind static '{prefix}' is not installed.",
                hint=f"pip install {PACKAGE_FILES[prefix][0]}",
                id="sentra.E801",
            )
            for prefix in missing
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        find_all = self._check_deprecated_find_param(find_all=find_all, **kwargs)
        found: list[str] = []
        for prefix, (storage, names) in self.storages.items():
            head, _, name = path.rpartition("/")
            if head == prefix and name in names and storage.exists(name):
                found.append(storage.path(name))
                if not find_all:
                    return found[0]
        return found if find_all else []

    def list(self, ignore_patterns: list[str] | None):
        for storage, names in self.storages.values():
            for name in names:
                if storage.exists(name) and not utils.matches_patterns(name, ignore_patterns or []):
                    yield name, storage
