"""Static files in production: hashed, compressed names from a manifest (whitenoise), and a deploy check for it.

A packaged asset may end with a ``sourceMappingURL`` comment naming a map its package does not ship
(xstatic-leaflet-markercluster's ``leaflet.markercluster.js`` names ``leaflet.markercluster.js.map``, which is not
in the package). Django's manifest storage rewrites such comments to the hashed name of the map and fails the whole
``collectstatic`` when the map is missing, and without a manifest every page answers 500. Source maps are only a
help for browser developer tools, so a comment naming a map that does not exist is removed on purpose (and logged);
a map that exists is served under its hashed name as before. Every other missing reference (``url()`` and
``@import`` in CSS) still fails ``collectstatic``: a missing image or stylesheet is a real packaging break.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)

_SOURCE_MAP = re.compile(r"sourceMappingURL=")


class ManifestStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed manifest storage that drops source-map comments whose map is not packaged."""

    #: The source-map comments removed by the last post-processing run, as (file, missing map) pairs.
    dropped_source_maps: list[tuple[str, str]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dropped_source_maps = []

    def url_converter(self, name: str, hashed_files: dict[str, str], template: str | None = None) -> Callable:
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj: re.Match) -> str:
            matched = matchobj["matched"]
            if _SOURCE_MAP.search(matched):
                target = _source_map_target(name, matchobj["url"])
                if target is not None and not self.exists(target):
                    if (name, target) not in self.dropped_source_maps:
                        self.dropped_source_maps.append((name, target))
                        logger.info("%s names the source map %s, which is not packaged: comment removed", name, target)
                    return ""
            return convert(matchobj)

        return converter


def _source_map_target(name: str, url: str) -> str | None:
    """The static path a relative ``sourceMappingURL`` names; None for absolute, data: or static-root URLs."""
    url = url.strip()
    if not url or re.match(r"^[a-z]+:", url) or url.startswith("/"):
        return None
    path, _fragment = urldefrag(url)
    if not path:
        return None
    source = name.replace("\\", "/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path)))


def _collected_names() -> set[str]:
    """The names ``collectstatic`` gives the files the finders provide (prefix included, as it does)."""
    names = set()
    for finder in finders.get_finders():
        for path, found_in in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(found_in, "prefix", None)
            names.add(posixpath.join(prefix, path) if prefix else path.replace("\\", "/"))
    return names


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """``check --deploy``: with a manifest storage, the manifest must exist and name every static file.

    Without it (``collectstatic`` not run, or run before a new file was added) every page that links a static
    file answers 500.
    """
    backend = import_string(settings.STORAGES["staticfiles"]["BACKEND"])
    if not issubclass(backend, ManifestStaticFilesStorage):
        return []
    manifest = Path(settings.STATIC_ROOT) / backend.manifest_name
    hint = "Jalankan `sentra collectstatic --no-input` / run `sentra collectstatic --no-input`."
    try:
        paths = json.loads(manifest.read_text(encoding="utf-8"))["paths"]
    except FileNotFoundError:
        return [
            Error(
                f"Manifest berkas statis tidak ada di {manifest} / the static files manifest is missing: "
                "every page would answer 500.",
                hint=hint,
                id="sentra.E001",
            )
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        message = f"Manifest berkas statis tidak terbaca / unreadable static manifest {manifest}: {exc!r}"
        return [Error(message, hint=hint, id="sentra.E001")]
    missing = sorted(name for name in _collected_names() if name not in paths)
    if missing:
        shown = ", ".join(missing[:5]) + (f" (+{len(missing) - 5})" if len(missing) > 5 else "")
        return [
            Error(
                f"Manifest berkas statis tidak memuat {len(missing)} berkas / the static manifest lacks "
                f"{len(missing)} file(s): {shown}",
                hint=hint,
                id="sentra.E002",
            )
        ]
    return []
