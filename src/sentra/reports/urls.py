from django.urls import path

from sentra.reports import views

app_name = "reports"

# Paths are written in full here (the app is included at the site root) so that one app may serve several
# top-level paths of the site map.
urlpatterns = [
    path("laporan/dasbor/", views.dashboard, name="dashboard"),
    path("laporan/dasbor/peta.json", views.map_data, name="map_data"),
    path("statistik/", views.public_statistics, name="statistics"),
]
