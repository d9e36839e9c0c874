"""The Content-Security-Policy allows no inline styles, and nothing in our templates or scripts needs them.

Inline scripts were already refused; with ``style-src 'self'`` a name that slips into a page as markup cannot
restyle it either. Templates use classes (never ``style`` attributes or ``<style>`` blocks), htmx's own indicator
``<style>`` is switched off, and our scripts build user text as DOM text nodes (Leaflet's tooltips and popups put a
string into ``innerHTML``).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from sentra.core.middleware import SecurityHeadersMiddleware

SRC = Path(__file__).resolve().parents[2] / "src" / "sentra"
#: The hash of an empty ``<style>`` (which plotly.js fills through the CSSOM): admits no style text at all.
EMPTY_STYLE = "'sha256-{}='".format(base64.b64encode(hashlib.sha256(b"").digest()).decode().rstrip("="))


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_style_src_allows_no_inline_styles(client, officer_region_a):
    client.force_login(officer_region_a)
    response = client.get(reverse("core:dashboard"))
    policy = _directives(response["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'", EMPTY_STYLE]
    assert "'unsafe-inline'" not in policy["script-src"] and "style-src-attr" not in policy
    assert response["Content-Security-Policy"] == SecurityHeadersMiddleware.CSP


def test_login_page_has_the_strict_policy_too(client, db):
    response = client.get(reverse("accounts:login"))
    assert _directives(response["Content-Security-Policy"])["style-src"] == ["'self'", EMPTY_STYLE]


def _templates() -> list[Path]:
    return [p for p in SRC.rglob("*.html") if "site" not in p.relative_to(SRC).parts[:1]]


def test_templates_carry_no_style_attributes_or_blocks():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        if re.search(r"\sstyle\s*=", text) or re.search(r"<style[\s>]", text, flags=re.I):
            offenders.append(str(path.relative_to(SRC)))
    assert _templates() and offenders == []


def test_our_scripts_put_no_html_strings_into_the_page():
    offenders = []
    for path in (SRC / "static" / "sentra").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"\.innerHTML\s*=",
            r"insertAdjacentHTML",
            r"outerHTML\s*=",
            r"style=",
            r"\.setAttribute\(\s*[\"']style",
        ):
            if re.search(pattern, text):
                offenders.append(f"{path.name}: {pattern}")
    assert offenders == []


@pytest.mark.parametrize("script", ["centres.js", "choropleth.js"])
def test_map_tooltips_get_text_nodes_not_strings(script):
    text = (SRC / "static" / "sentra" / script).read_text(encoding="utf-8")
    calls = re.findall(r"bindTooltip\(([^)]*)\)", text)
    assert calls, script
    for argument in calls:
        # A variable holding an element built with textContent, never a string expression.
        assert re.fullmatch(r"\s*(tip|textNode\([^)]*)\s*", argument), argument
    assert "textContent" in text


def test_htmx_indicator_styles_come_from_our_stylesheet(client, officer_region_a):
    client.force_login(officer_region_a)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
    css = (SRC / "static" / "sentra" / "sentra.css").read_text(encoding="utf-8")
    assert ".htmx-indicator {" in css and ".htmx-request .htmx-indicator" in css


@pytest.mark.parametrize("template", ["500.html", "503_database.html", "507_storage.html"])
def test_error_pages_take_their_look_from_a_stylesheet(template):
    html = render_to_string(template, {"message": "Disk penuh."})
    assert 'class="error-page"' in html and "sentra/errors.css" in html and "style=" not in html


def test_job_progress_bar_width_is_a_class(client, officer_region_a):
    from sentra.core.models import Job, JobState

    job = Job.objects.create(
        user=officer_region_a, kind="export", title="Ekspor", state=JobState.RUNNING, total=8, done=3
    )
    client.force_login(officer_region_a)
    html = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert "progress-pct-37" in html and "style=" not in html
    css = (SRC / "static" / "sentra" / "sentra.css").read_text(encoding="utf-8")
    assert all(f".progress-pct-{n} {{ width: {n}%; }}" in css for n in range(101))


def _plotly_inline_style_ids() -> list[str]:
    """Ids of the style elements plotly.js adds with text unless an element with that id is already on the page."""
    from sentra.reports.staticfiles import PACKAGE_FILES, _package_dir

    package, directory, _files = PACKAGE_FILES["vendor/plotly"]
    script = (_package_dir(package) / directory / "plotly.min.js").read_text(encoding="utf-8")
    return re.findall(r'getElementById\("([0-9a-f]{64})"\)\)\{var \w+=document\.createElement\("style"\)', script)


def test_the_dashboard_keeps_plotly_from_adding_inline_styles(client, national_admin):
    """plotly.js adds MapLibre's styles (for map traces, which the dashboard does not draw) in a style element with
    text, which the policy refuses: a console error on every dashboard. An element with the id plotly checks first
    keeps it from trying. A plotly upgrade that changes the id fails here."""
    ids = _plotly_inline_style_ids()
    assert ids
    client.force_login(national_admin)
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert "plotly.min.js" in html
    for element_id in ids:
        assert f'id="{element_id}"' in html
