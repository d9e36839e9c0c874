"""Production packaging: collectstatic with the production storage, and `check --deploy` noticing a missing manifest.

A packaging break (a packaged asset naming a file that is not there) made `collectstatic` fail, so production had
no manifest and every page answered 500; this suite runs the real `collectstatic` with the production settings.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

SENTRA = Path(sys.executable).with_name("sentra")
REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
PROD_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "sentra.core.staticstorage.ManifestStorage"},
}


def prod_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in REQUIRED and not k.startswith(("DJANGO_", "SENTRA_"))}
    key = "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(60))
    env.update(
        DJANGO_SETTINGS_MODULE="sentra.settings.prod",
        SENTRA_DATA_DIR=str(data_dir),
        SECRET_KEY=key,
        ALLOWED_HOSTS="sentra.kendarikota.go.id",
        DATABASE_URL="postgres://sentra:rahasia@127.0.0.1:5432/sentra",
    )
    return env


def sentra(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SENTRA), *args], env=prod_env(data_dir), capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A data directory whose static/ was filled by the real `collectstatic` under the production settings."""
    data_dir = tmp_path_factory.mktemp("prod-data")
    result = sentra(data_dir, "collectstatic", "--no-input", "-v", "1")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return data_dir


def test_collectstatic_with_the_production_storage_writes_a_manifest(collected):
    manifest = json.loads((collected / "static" / "staticfiles.json").read_text(encoding="utf-8"))["paths"]
    for name in (
        "sentra/sentra.css",
        "sentra/sentra.js",
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet-markercluster/leaflet.markercluster.js",
        "vendor/plotly/plotly.min.js",
    ):
        assert name in manifest, name
        hashed = collected / "static" / manifest[name]
        assert hashed.is_file()
        assert hashed.with_name(hashed.name + ".gz").is_file(), f"{name} is not precompressed"


def test_collected_static_files_stay_readable_for_the_web_server(collected):
    import stat

    static = collected / "static"
    assert stat.S_IMODE((static / "sentra").stat().st_mode) == 0o755
    assert stat.S_IMODE((static / "sentra" / "sentra.css").stat().st_mode) == 0o644


def test_a_source_map_the_package_lacks_is_dropped_one_it_ships_is_hashed(collected):
    static = collected / "static"
    manifest = json.loads((static / "staticfiles.json").read_text(encoding="utf-8"))["paths"]
    cluster = (static / manifest["vendor/leaflet-markercluster/leaflet.markercluster.js"]).read_text(encoding="utf-8")
    assert "sourceMappingURL" not in cluster  # its map is not in the package
    leaflet = (static / manifest["vendor/leaflet/leaflet.js"]).read_text(encoding="utf-8")
    hashed_map = manifest["vendor/leaflet/leaflet.js.map"].rsplit("/", 1)[1]
    assert f"sourceMappingURL={hashed_map}" in leaflet  # a shipped map is still served under its hashed name


def test_check_deploy_is_clean_once_static_files_are_collected(collected):
    result = sentra(collected, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_fails_without_a_manifest(tmp_path):
    result = sentra(tmp_path, "check", "--deploy")
    assert result.returncode != 0
    assert "sentra.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_check_deploy_fails_with_a_manifest_that_lacks_files(collected, tmp_path):
    shutil.copytree(collected / "static", tmp_path / "static")
    manifest_file = tmp_path / "static" / "staticfiles.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    del manifest["paths"]["sentra/sentra.css"]  # as if collectstatic ran before this file was added
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    result = sentra(tmp_path, "check", "--deploy")
    assert result.returncode != 0
    assert "sentra.E002" in result.stderr
    assert "sentra/sentra.css" in result.stderr


# --- The storage's rule on its own, on a made-up package -----------------------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    source = tmp_path / "pkg"
    for name, text in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    return source


def _collect(tmp_path: Path, source: Path) -> dict[str, str]:
    root = tmp_path / "root"
    with override_settings(
        STATIC_ROOT=root,
        STATICFILES_DIRS=[("vendor/pkg", source)],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES=PROD_STORAGES,
    ):
        call_command("collectstatic", "--no-input", verbosity=0)
    return json.loads((root / "staticfiles.json").read_text(encoding="utf-8"))["paths"]


def test_storage_drops_only_source_map_comments_whose_map_is_missing(tmp_path):
    source = _package(
        tmp_path,
        {
            "lost.min.js": "var a=1;\n//# sourceMappingURL=lost.min.js.map\n",
            "kept.min.js": "var b=2;\n//# sourceMappingURL=kept.min.js.map\n",
            "kept.min.js.map": '{"version":3,"sources":[],"mappings":""}',
            "lost.css": "a{color:red}\n/*# sourceMappingURL=lost.css.map */\n",
        },
    )
    paths = _collect(tmp_path, source)
    root = tmp_path / "root"
    assert "sourceMappingURL" not in (root / paths["vendor/pkg/lost.min.js"]).read_text(encoding="utf-8")
    assert "sourceMappingURL" not in (root / paths["vendor/pkg/lost.css"]).read_text(encoding="utf-8")
    kept = (root / paths["vendor/pkg/kept.min.js"]).read_text(encoding="utf-8")
    assert f"sourceMappingURL={paths['vendor/pkg/kept.min.js.map'].rsplit('/', 1)[1]}" in kept


def test_storage_still_fails_on_a_missing_image_or_stylesheet(tmp_path):
    source = _package(tmp_path, {"theme.css": "body{background:url(img/missing.png)}\n"})
    with pytest.raises(ValueError, match=r"img/missing\.png"):
        _collect(tmp_path, source)
