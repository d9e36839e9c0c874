"""The site map: Indonesian paths; later issues fill them."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language

from sentra.core.help import guide, help_for_role
from sentra.core.views import HealthView

urlpatterns = [
    # First: API clients make many small requests, and every pattern tried before theirs is paid on each one.
    path("", include("sentra.api.urls")),  # /api/v1/ (docs, openapi.json) and /akun/token/
    path("", include("sentra.core.urls")),
    path("healthz", HealthView.as_view(), name="healthz"),
    path("akun/", include("sentra.accounts.urls")),
    path("wilayah/", include("sentra.regions.urls")),
    path("", include("sentra.registry.urls")),
    path("", include("sentra.budget.urls")),  # /anggaran/
    path("", include("sentra.centres.urls")),  # /sentra/
    path("", include("sentra.periodic.urls")),  # /laporan-berkala/
    path("", include("sentra.training.urls")),  # /pelatihan/, /verifikasi/<code>/
    path("", include("sentra.quality.urls")),  # /mutu/
    path("", include("sentra.products.urls")),  # /produk/, /katalog/
    path("", include("sentra.reports.urls")),  # /laporan/, /statistik/
    # The user guide (docs/, built by `make docs`): each page's help link, then the built site itself.
    path("bantuan/saya/", help_for_role, name="help_for_role"),
    re_path(r"^bantuan/(?P<path>.*)$", guide, name="help"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
