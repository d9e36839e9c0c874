from django.urls import path

from sentra.core import views_jobs
from sentra.quality import views, views_offline

app_name = "quality"

# Paths are written in full here (the app is included at the site root) so that one app may serve several
# top-level paths of the site map.
urlpatterns = [
    path("mutu/", views.index, name="index"),
    path("mutu/sertifikat/", views.certification_list, name="certification_list"),
    path(
        "mutu/sertifikat/ekspor/",
        views_jobs.export_view,
        {"key": "quality.certification"},
        name="certification_export",
    ),
    path("mutu/sertifikat/masa-berlaku/", views.certification_expiry, name="certification_expiry"),
    path("mutu/sertifikat/<int:pk>/", views.certification_detail, name="certification_detail"),
    path("mutu/sertifikat/<int:pk>/ubah/", views.CertificationEditView.as_view(), name="certification_edit"),
    path("mutu/sertifikat/<int:pk>/hapus/", views.CertificationDeleteView.as_view(), name="certification_delete"),
    path("mutu/sertifikat/<int:pk>/dokumen/", views.certification_document, name="certification_document"),
    path("mutu/sertifikat/<int:pk>/riwayat/", views.CertificationHistoryView.as_view(), name="certification_history"),
    path("mutu/usaha/<int:business_pk>/", views.business_quality, name="business_quality"),
    path(
        "mutu/usaha/<int:business_pk>/sertifikat/baru/", views.CertificationEditView.as_view(), name="certification_add"
    ),
    path("mutu/usaha/<int:business_pk>/penilaian/baru/", views.AssessmentCreateView.as_view(), name="assessment_add"),
    path("mutu/usaha/<int:business_pk>/indi/mulai/", views.indi_start, name="indi_start"),
    path("mutu/pemberitahuan/", views.notice_list, name="notice_list"),
    path("mutu/pemberitahuan/tandai-dibaca/", views.notice_mark_read, name="notice_mark_read"),
    path("mutu/daftar-periksa/", views.checklist_list, name="checklist_list"),
    path("mutu/daftar-periksa/versi-baru/", views.checklist_new_version, name="checklist_new_version"),
    path("mutu/penilaian/", views.assessment_list, name="assessment_list"),
    path("mutu/penilaian/ekspor/", views_jobs.export_view, {"key": "quality.assessment"}, name="assessment_export"),
    path("mutu/penilaian/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("mutu/penilaian/<int:pk>/isi/", views.assessment_fill, name="assessment_fill"),
    path("mutu/penilaian/<int:pk>/temuan/", views.finding_create, name="finding_add"),
    path("mutu/penilaian/<int:pk>/foto/<int:answer_pk>/", views.assessment_photo, name="assessment_photo"),
    path("mutu/penilaian/<int:pk>/riwayat/", views.AssessmentHistoryView.as_view(), name="assessment_history"),
    path("mutu/pelatihan/<int:batch_pk>/", views.batch_quality, name="batch_quality"),
    path("mutu/temuan/<int:finding_pk>/tindakan/baru/", views.ActionCreateView.as_view(), name="action_create"),
    path("mutu/tindakan/", views.action_list, name="action_list"),
    path("mutu/tindakan/ekspor/", views_jobs.export_view, {"key": "quality.action"}, name="action_export"),
    path("mutu/tindakan/<int:pk>/", views.action_detail, name="action_detail"),
    path("mutu/tindakan/<int:pk>/status/", views.action_transition, name="action_transition"),
    path("mutu/tindakan/<int:pk>/riwayat/", views.ActionHistoryView.as_view(), name="action_history"),
    path("mutu/indi/", views.indi_overview, name="indi_overview"),
    path("mutu/indi/<int:pk>/", views.indi_detail, name="indi_detail"),
    path("mutu/indi/<int:pk>/isi/<int:step>/", views.indi_step, name="indi_step"),
    path("mutu/indi/<int:pk>/verifikasi/", views.indi_verify, name="indi_verify"),
    path("mutu/indi/<int:pk>/luring/", views_offline.indi_offline_sync, name="indi_offline_sync"),
    path("mutu/indi/<int:pk>/bukti/<int:answer_pk>/", views.indi_evidence, name="indi_evidence"),
    path("mutu/indi/<int:pk>/riwayat/", views.IndiHistoryView.as_view(), name="indi_history"),
]
