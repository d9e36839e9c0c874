"""Every stylesheet and script a template links to is found by the static files finders (no copied vendor code)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "sentra" / "templates"
STATIC_REF = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")


def _references():
    for template in sorted(TEMPLATES.rglob("*.html")):
        for ref in STATIC_REF.findall(template.read_text(encoding="utf-8")):
            yield template.relative_to(TEMPLATES).as_posix(), ref


@pytest.mark.parametrize(("template", "ref"), list(_references()), ids=lambda v: v)
def test_static_reference_resolves(template, ref):
    assert finders.find(ref), f"{template} links to {ref}, which no static finder provides"


def test_base_template_links_our_own_assets():
    refs = {ref for name, ref in _references() if name == "base.html"}
    assert {"sentra/sentra.css", "sentra/sentra.js", "vendor/bootstrap/css/bootstrap.min.css"} <= refs
