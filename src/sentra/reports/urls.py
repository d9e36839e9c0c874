from django.urls import path

from sentra.reports import views, views_opendata

app_name = "reports"

# Paths are written in full here (the app is included at the site root) so that one app may serve several
# top-level paths of the site map.
urlpatterns = [
    path("laporan/dasbor/", views.dashboard, name="dashboard"),
    path("laporan/dasbor/peta.json", views.map_data, name="map_data"),
    path("laporan/dasbor/grafik/<str:wilayah>/<slug:key>.xlsx", views.chart_xlsx, name="chart_xlsx"),
    path("laporan/", views.index, name="index"),
    path("laporan/hasil-program/", views.outcomes, name="outcomes"),
    path("laporan/hasil-program/peserta/", views.funnel_stage, name="funnel_stage"),
    path("laporan/penerima-ganda/", views.double_recipients, name="double_recipients"),
    path("laporan/profil.pdf", views.profile_download, {"fmt": "pdf"}, name="profile_pdf"),
    path("laporan/profil.xlsx", views.profile_download, {"fmt": "xlsx"}, name="profile_xlsx"),
    path("statistik/", views.public_statistics, name="statistics"),
    path("statistik/data/", views_opendata.opendata_index, name="opendata_index"),
    path("statistik/data/katalog.json", views_opendata.opendata_catalogue, name="opendata_catalogue"),
    path("statistik/data/<slug:slug>.csv", views_opendata.opendata_csv, name="opendata_csv"),
    path("statistik/data/<slug:slug>.metadata.json", views_opendata.opendata_metadata, name="opendata_metadata"),
    path("statistik/data/<slug:slug>.json", views_opendata.opendata_json, name="opendata_json"),
]
from sentra.reports.urls_evaluation import urlpatterns as evaluation_urlpatterns  # noqa: E402

urlpatterns += evaluation_urlpatterns
