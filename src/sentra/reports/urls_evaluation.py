"""The evaluation's pages, added to the reports URLconf (the app is included at the site root)."""

from django.urls import path

from sentra.core import views_jobs
from sentra.reports import views_evaluation

urlpatterns = [
    path("laporan/hasil-program/metode/", views_evaluation.evaluation_method, name="evaluation_method"),
    path(
        "laporan/hasil-program/tabel-analisis/",
        views_jobs.export_view,
        {"key": "reports.evaluation"},
        name="evaluation_csv",
    ),
]
