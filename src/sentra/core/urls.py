from django.urls import path

from sentra.core import views, views_jobs, views_pwa

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Background jobs and the import flow ; each user sees only their own jobs.
    path("tugas/", views_jobs.job_list, name="job_list"),
    path("tugas/<int:pk>/", views_jobs.job_detail, name="job_detail"),
    path("tugas/<int:pk>/progres/", views_jobs.job_progress, name="job_progress"),
    path("tugas/<int:pk>/unduh/<str:which>/", views_jobs.job_download, name="job_download"),
    path("tugas/<int:pk>/ulang/", views_jobs.job_rerun_view, name="job_rerun"),
    path("impor/templat/", views_jobs.import_template, name="import_template"),
    path("tugas/<int:pk>/kolom/", views_jobs.import_map, name="import_map"),
    path("tugas/<int:pk>/pratinjau/", views_jobs.import_preview_view, name="import_preview"),
    path("impor/", views_jobs.import_index, name="import_index"),
    path("impor/unggah/", views_jobs.import_kind, name="import_kind"),
    # The installable web app: the worker at the root, so that its scope covers every page.
    path("sw.js", views_pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", views_pwa.manifest, name="manifest"),
    path("luring/", views_pwa.offline, name="offline"),
]
