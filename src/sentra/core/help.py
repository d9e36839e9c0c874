"""The user guide at /bantuan/: the documentation site (docs/, mkdocs.yml) as `make docs` built it.

`make docs` (and `make demo`) build the site into ``SENTRA_DATA_DIR/site``; these views serve it from there, so
the guide works offline on a laptop. In production the proxy may serve the same directory instead. Every page's
help link goes to ``help_for_role``, which sends the user to their role's chapter.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils._os import safe_join
from django.views.static import serve

#: Each role's chapter of the guide (docs/panduan/<page>.md), keyed by the value of ``accounts.roles.Role`` (core
#: imports no app above it; tests/core/test_help.py checks every role has a chapter).
ROLE_PAGES: dict[str, str] = {
    "national_admin": "panduan/kementerian/",
    "province_officer": "panduan/provinsi/",
    "regency_officer": "panduan/kabupaten-kota/",
    "centre_manager": "panduan/pengelola-sentra/",
    "trainer": "panduan/pelatih/",
    "business_owner": "panduan/pemilik-usaha/",
}

#: The section of a role's chapter about each part of Sentra, by the app whose page the help link is on (the
#: headings carry these ids, ``## Registri usaha IKM {#registri}``; tests/core/test_help.py checks they exist).
SECTION_BY_APP: dict[str, str] = {
    "core": "dasbor",
    "reports": "laporan",
    "registry": "registri",
    "training": "pelatihan",
    "budget": "anggaran",
    "centres": "sentra",
    "quality": "mutu",
    "periodic": "laporan-berkala",
    "accounts": "pengguna",
}
#: The sections each role's chapter has (a role without one goes to the chapter's top).
ROLE_SECTIONS: dict[str, set[str]] = {
    "regency_officer": {
        "dasbor",
        "registri",
        "pelatihan",
        "anggaran",
        "sentra",
        "mutu",
        "laporan-berkala",
        "laporan",
        "tugas-latar",
    },
    "national_admin": {"dasbor", "anggaran", "laporan", "pengguna"},
    "province_officer": {"dasbor", "anggaran", "laporan-berkala", "pengguna"},
    "centre_manager": {"beranda", "sentra", "laporan-berkala"},
    "trainer": {"beranda", "pelatihan", "presensi", "mutu"},
    "business_owner": {"beranda", "registri", "laporan-berkala", "pelatihan"},
}


def help_section(role: str, app: str) -> str:
    """The id of the section of ``role``'s chapter about the page's ``app`` ("" when the chapter has none)."""
    section = SECTION_BY_APP.get(app, "")
    sections = ROLE_SECTIONS.get(role, set())
    if section == "dasbor" and section not in sections:
        section = "beranda"  # the home page of owners, trainers and centre managers
    return section if section in sections else ""


# The guide is static pages built by MkDocs Material, whose theme starts with small inline scripts; it holds no
# user data and no forms, so its pages get their own policy.
GUIDE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)


def guide_root() -> Path:
    return Path(settings.DATA_DIR) / "site"


@login_not_required
def guide(request: HttpRequest, path: str = "") -> HttpResponseBase:
    root = guide_root()
    if not (root / "index.html").is_file():
        return render(request, "core/help_missing.html", status=404)
    try:
        target = Path(safe_join(root, path))
    except SuspiciousFileOperation:
        raise Http404(path) from None  # a path that leaves the site
    if path and not path.endswith("/") and target.is_dir():
        return HttpResponseRedirect(f"{request.path}/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    response = serve(request, path, document_root=str(root))
    response.headers["Content-Security-Policy"] = GUIDE_CSP
    return response


def help_for_role(request: HttpRequest) -> HttpResponse:
    """The user's chapter of the guide, at the section about the page the help link was on (``?dari=<app>``)."""
    role = getattr(request.user, "role", "")  # an anonymous user (no role) gets the general guide
    page = ROLE_PAGES.get(role, "panduan/")
    section = help_section(role, request.GET.get("dari", ""))
    response = redirect("help", path=page)
    if section:
        response["Location"] += f"#{section}"
    return response
