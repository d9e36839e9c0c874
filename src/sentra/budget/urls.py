from django.urls import path

from sentra.budget import views
from sentra.core import views_jobs

app_name = "budget"

# Paths are written in full here (the app is included at the site root) so that one app may serve several
# top-level paths of the site map.
urlpatterns = [
    path("anggaran/", views.index, name="index"),
    path("anggaran/alokasi/", views.AllocationListView.as_view(), name="allocation_list"),
    path("anggaran/alokasi/ekspor/", views_jobs.export_view, {"key": "budget.allocation"}, name="allocation_export"),
    path("anggaran/alokasi/baru/", views.AllocationCreateView.as_view(), name="allocation_add"),
    path(
        "anggaran/alokasi/impor/", views_jobs.import_start, {"kind_key": "budget_allocation"}, name="allocation_import"
    ),
    path("anggaran/alokasi/<int:pk>/", views.allocation_detail, name="allocation_detail"),
    path("anggaran/alokasi/<int:pk>/ubah/", views.AllocationEditView.as_view(), name="allocation_edit"),
    path("anggaran/alokasi/<int:pk>/riwayat/", views.AllocationHistoryView.as_view(), name="allocation_history"),
    path("anggaran/alokasi/<int:pk>/rencana/baru/", views.PlanCreateView.as_view(), name="plan_add"),
    path("anggaran/alokasi/<int:pk>/penyaluran/", views.transfer_request, name="transfer_request"),
    path("anggaran/alokasi/<int:pk>/laporan/", views.report_generate, name="report_generate"),
    path("anggaran/rencana/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("anggaran/rencana/<int:pk>/ubah/", views.PlanEditView.as_view(), name="plan_edit"),
    path("anggaran/rencana/<int:pk>/ajukan/", views.plan_submit, name="plan_submit"),
    path("anggaran/rencana/<int:pk>/verifikasi/", views.plan_verify, name="plan_verify"),
    path("anggaran/rencana/<int:pk>/setujui/", views.plan_approve, name="plan_approve"),
    path("anggaran/rencana/<int:pk>/kembalikan/", views.plan_return, name="plan_return"),
    path("anggaran/rencana/<int:pk>/revisi/", views.plan_revise, name="plan_revise"),
    path("anggaran/rencana/<int:pk>/riwayat/", views.PlanHistoryView.as_view(), name="plan_history"),
    path("anggaran/rencana/<int:pk>/baris/baru/", views.LineCreateView.as_view(), name="line_add"),
    path("anggaran/baris/<int:pk>/", views.line_detail, name="line_detail"),
    path("anggaran/baris/<int:pk>/ubah/", views.LineEditView.as_view(), name="line_edit"),
    path("anggaran/baris/<int:pk>/hapus/", views.LineDeleteView.as_view(), name="line_delete"),
    path("anggaran/baris/<int:pk>/riwayat/", views.LineHistoryView.as_view(), name="line_history"),
    path("anggaran/baris/<int:pk>/kontrak/baru/", views.ContractCreateView.as_view(), name="contract_add"),
    path("anggaran/baris/<int:pk>/kemajuan/baru/", views.ProgressCreateView.as_view(), name="progress_add"),
    path("anggaran/kontrak/<int:pk>/ubah/", views.ContractEditView.as_view(), name="contract_edit"),
    path("anggaran/kontrak/<int:pk>/bayar/", views.payment_create, name="payment_add"),
    path("anggaran/penyaluran/<int:pk>/terima/", views.transfer_receive, name="transfer_receive"),
    path("anggaran/foto/<int:pk>/", views.photo_view, name="photo"),
    path("anggaran/laporan/", views.ReportListView.as_view(), name="report_list"),
    path("anggaran/laporan/ekspor/", views_jobs.export_view, {"key": "budget.report"}, name="report_export"),
    path("anggaran/laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("anggaran/laporan/<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("anggaran/laporan/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
]
