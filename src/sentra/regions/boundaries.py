"""Region boundaries for choropleth maps, from the shipped GeoJSON (data/boundaries/README.txt).

The files are parsed once per process and kept in memory (about 40 MB); features are served per province so a
phone downloads only what it shows.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "boundaries"
FILES = {1: "provinsi_cahyadsn.geojson", 2: "kabupaten_kota_cahyadsn.geojson"}
ATTRIBUTION = "Batas wilayah: cahyadsn/wilayah_boundaries (MIT)"


@lru_cache(maxsize=2)
def _features(level: int) -> dict[str, dict[str, Any]]:
    with (DATA / FILES[level]).open(encoding="utf-8") as fh:
        collection = json.load(fh)
    return {f["properties"]["kode"]: f for f in collection["features"]}


def boundary_features(level: int, parent_code: str | None = None) -> list[dict[str, Any]]:
    """Features of provinces (level 1) or of the regencies/cities (level 2) of one province."""
    features = _features(level)
    if level == 2 and parent_code:
        return [f for code, f in features.items() if code.startswith(f"{parent_code}.")]
    return list(features.values())


def centroids(level: int) -> dict[str, tuple[float, float]]:
    """Label points (lat, lng) given by the source for each region of the level."""
    return {code: (f["properties"]["lat"], f["properties"]["lng"]) for code, f in _features(level).items()}
