"""The OpenAPI document and the interactive docs: public, and every asset from our own origin (CSP)."""

from __future__ import annotations

import re

from django.test import Client

from sentra.core.middleware import SecurityHeadersMiddleware


def test_openapi_document_is_served(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Sentra API"
    assert "/api/v1/businesses/bulk" in schema["paths"]
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_docs_use_only_same_origin_assets_and_no_inline_script(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = Client().get(url)
        assert asset.status_code == 200, url
        content = b"".join(asset.streaming_content) if asset.streaming else asset.content
        assert len(content) > 100, url
    # Only external scripts and the JSON settings block: the CSP (script-src 'self') forbids inline code.
    for attrs, _body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    assert response["Content-Security-Policy"] == SecurityHeadersMiddleware.CSP


def test_unknown_docs_asset_is_404(db):
    assert Client().get("/api/v1/docs/aset/..%2Fsettings.py").status_code == 404
    assert Client().get("/api/v1/docs/aset/redoc.standalone.js").status_code == 404
