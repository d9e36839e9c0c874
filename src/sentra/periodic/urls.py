from django.urls import path

from sentra.core import views_jobs
from sentra.periodic import views

app_name = "periodic"

urlpatterns = [
    path("laporan-berkala/", views.todo, name="todo"),
    path("laporan-berkala/pemberitahuan/dibaca/", views.notices_read, name="notices_read"),
    path("laporan-berkala/semua/", views.SubmissionListView.as_view(), name="submission_list"),
    path(
        "laporan-berkala/semua/ekspor/",
        views_jobs.export_view,
        {"key": "periodic.submission"},
        name="submission_export",
    ),
    path("laporan-berkala/kelengkapan/", views.overview, name="overview"),
    path(
        "laporan-berkala/mulai/<slug:form_code>/<int:subject_pk>/<str:period>/",
        views.submission_start,
        name="submission_start",
    ),
    path("laporan-berkala/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("laporan-berkala/<int:pk>/isi/", views.SubmissionEditView.as_view(), name="submission_edit"),
    path("laporan-berkala/<int:pk>/terima/", views.submission_accept, name="submission_accept"),
    path("laporan-berkala/<int:pk>/kembalikan/", views.submission_return, name="submission_return"),
    path("laporan-berkala/<int:pk>/riwayat/", views.SubmissionHistoryView.as_view(), name="submission_history"),
]
