from django.urls import path

from sentra.core import views_jobs
from sentra.training import views, views_offline

app_name = "training"

# Paths are written in full here (the app is included at the site root) so that one app may serve several
# top-level paths of the site map.
urlpatterns = [
    path("pelatihan/", views.BatchListView.as_view(), name="batch_list"),
    path("pelatihan/ekspor/", views_jobs.export_view, {"key": "training.batch"}, name="batch_export"),
    path("pelatihan/saya/", views.my_trainings, name="my_trainings"),
    path("pelatihan/pendaftaran/", views.open_batches, name="open_batches"),
    path("pelatihan/baru/", views.BatchEditView.as_view(), name="batch_add"),
    path(
        "pelatihan/impor-presensi/",
        views_jobs.import_start,
        {"kind_key": "training_attendance"},
        name="attendance_import",
    ),
    path(
        "pelatihan/impor-peserta/",
        views_jobs.import_start,
        {"kind_key": "training_enrolment"},
        name="enrolment_import",
    ),
    path("pelatihan/program/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("pelatihan/program/ekspor/", views_jobs.export_view, {"key": "training.programme"}, name="programme_export"),
    path("pelatihan/program/baru/", views.ProgrammeEditView.as_view(), name="programme_add"),
    path("pelatihan/program/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("pelatihan/program/<int:pk>/ubah/", views.ProgrammeEditView.as_view(), name="programme_edit"),
    path(
        "pelatihan/program/<int:pk>/modul/<int:module_pk>/hapus/",
        views.ModuleDeleteView.as_view(),
        name="module_delete",
    ),
    path("pelatihan/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("pelatihan/<int:pk>/ubah/", views.BatchEditView.as_view(), name="batch_edit"),
    path("pelatihan/<int:pk>/riwayat/", views.BatchHistoryView.as_view(), name="batch_history"),
    path("pelatihan/<int:pk>/jadwal/", views.batch_schedule, name="batch_schedule"),
    path("pelatihan/<int:pk>/jadwal/<int:session_pk>/hapus/", views.SessionDeleteView.as_view(), name="session_delete"),
    path("pelatihan/<int:pk>/daftar/", views.apply, name="apply"),
    path("pelatihan/<int:pk>/peserta/tambah/", views.participant_add, name="participant_add"),
    path("pelatihan/<int:pk>/peserta/tempel/", views.participant_paste, name="participant_paste"),
    path(
        "pelatihan/<int:pk>/peserta/<int:participant_pk>/",
        views.participant_review,
        name="participant_review",
    ),
    path(
        "pelatihan/<int:pk>/peserta/<int:participant_pk>/keputusan/",
        views.participant_decide,
        name="participant_decide",
    ),
    path(
        "pelatihan/<int:pk>/peserta/<int:participant_pk>/mundur/",
        views.participant_withdraw,
        name="participant_withdraw",
    ),
    path("pelatihan/<int:pk>/peserta/<int:participant_pk>/tindak-lanjut/", views.followup, name="participant_followup"),
    path("pelatihan/<int:pk>/tindak-lanjut/pengingat/", views.followup_remind, name="followup_remind"),
    path("pelatihan/alumni/", views.followup_overview, name="followup_overview"),
    path("pelatihan/<int:pk>/presensi/", views.attendance_grid, name="attendance_grid"),
    path("pelatihan/<int:pk>/presensi/hari-<int:number>/", views.attendance_day, name="attendance_day"),
    path(
        "pelatihan/<int:pk>/presensi/hari-<int:number>/<int:participant_pk>/",
        views.attendance_toggle,
        name="attendance_toggle",
    ),
    path("pelatihan/<int:pk>/nilai/", views.scores, name="scores"),
    path("pelatihan/<int:pk>/luring/", views_offline.offline_sync, name="offline_sync"),
    path("pelatihan/<int:pk>/kelulusan/", views.batch_assess, name="batch_assess"),
    path("pelatihan/<int:pk>/sertifikat/", views.certificates_issue, name="certificates_issue"),
    path("pelatihan/<int:pk>/evaluasi/", views.evaluation, name="evaluation"),
    path("pelatihan/<int:pk>/evaluasi/hasil/", views.evaluation_results, name="evaluation_results"),
    path("pelatihan/<int:pk>/laporan.pdf", views.report_pdf, name="report_pdf"),
    path("pelatihan/<int:pk>/laporan.xlsx", views.report_xlsx, name="report_xlsx"),
    path("pelatihan/sertifikat/<int:pk>/", views.certificate_pdf, name="certificate_pdf"),
    path("pelatihan/sertifikat/<int:pk>/cabut/", views.certificate_revoke, name="certificate_revoke"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
]
