from django.urls import path

from sentra.centres import views, views_siinas
from sentra.core import views_jobs

app_name = "centres"

# Paths are written in full here (the app is included at the site root) so that one app may serve several
# top-level paths of the site map.
urlpatterns = [
    path("sentra/", views.CentreListView.as_view(), name="centre_list"),
    path("sentra/siinas/", views_siinas.siinas_page, name="siinas"),
    path("sentra/ekspor/", views_jobs.export_view, {"key": "centres.centre"}, name="centre_export"),
    path("sentra/hibah/ekspor/", views_jobs.export_view, {"key": "centres.grant"}, name="grant_export"),
    path("sentra/siinas/ekspor/", views_jobs.export_view, {"key": "centres.siinas"}, name="siinas_export"),
    path("sentra/siinas/impor/", views_jobs.import_start, {"kind_key": "centres_siinas"}, name="siinas_import"),
    path("sentra/baru/", views.CentreEditView.as_view(), name="centre_add"),
    path("sentra/<int:pk>/", views.centre_detail, name="centre_detail"),
    path("sentra/<int:pk>/ubah/", views.CentreEditView.as_view(), name="centre_edit"),
    path("sentra/<int:pk>/status/", views.centre_status, name="centre_status"),
    path("sentra/<int:pk>/riwayat/", views.CentreHistoryView.as_view(), name="centre_history"),
    path("sentra/<int:pk>/unit/baru/", views.UnitEditView.as_view(), name="unit_add"),
    path("sentra/<int:pk>/unit/<int:unit_pk>/", views.unit_detail, name="unit_detail"),
    path("sentra/<int:pk>/unit/<int:unit_pk>/ubah/", views.UnitEditView.as_view(), name="unit_edit"),
    path("sentra/<int:pk>/unit/<int:unit_pk>/sewa/", views.tenancy_create, name="tenancy_add"),
    path("sentra/<int:pk>/sewa/<int:tenancy_pk>/akhiri/", views.tenancy_end, name="tenancy_end"),
    path("sentra/<int:pk>/cari-usaha/", views.business_search, name="business_search"),
    path("sentra/<int:pk>/anggota/", views.members, name="members"),
    path("sentra/<int:pk>/anggota/<int:member_pk>/keluar/", views.member_remove, name="member_remove"),
    path("sentra/<int:pk>/sarana/baru/", views.FacilityEditView.as_view(), name="facility_add"),
    path("sentra/<int:pk>/sarana/<int:facility_pk>/", views.facility_detail, name="facility_detail"),
    path("sentra/<int:pk>/sarana/<int:facility_pk>/ubah/", views.FacilityEditView.as_view(), name="facility_edit"),
    path("sentra/<int:pk>/sarana/<int:facility_pk>/lampiran/", views.facility_upload, name="facility_upload"),
    path("sentra/<int:pk>/lampiran/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("sentra/<int:pk>/pendanaan/baru/", views.FundingCreateView.as_view(), name="funding_add"),
    path("sentra/<int:pk>/laporan/", views.centre_reports, name="centre_reports"),
    path("sentra/usaha/<int:business_pk>/laporan-semester/", views.business_report, name="business_report"),
    path("sentra/hibah/", views.GrantListView.as_view(), name="grant_list"),
    path("sentra/hibah/baru/", views.GrantCreateView.as_view(), name="grant_add"),
    path("sentra/hibah/<int:pk>/", views.grant_detail, name="grant_detail"),
    path("sentra/hibah/<int:pk>/serah-terima/", views.grant_handover, name="grant_handover"),
    path("sentra/hibah/<int:pk>/pemeriksaan/", views.grant_check, name="grant_check"),
    path("sentra/hibah/<int:pk>/riwayat/", views.GrantHistoryView.as_view(), name="grant_history"),
    path("sentra/hibah/<int:pk>/cari-usaha/", views.grant_business_search, name="grant_business_search"),
]
