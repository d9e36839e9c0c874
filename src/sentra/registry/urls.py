from django.urls import path

from sentra.core import views_jobs
from sentra.registry import views

app_name = "registry"

urlpatterns = [
    path("usaha/", views.BusinessListView.as_view(), name="business_list"),
    path("usaha/baru/", views.business_create, name="business_add"),
    path("usaha/validasi/", views.business_validate, name="business_validate"),
    path("usaha/<int:pk>/", views.business_detail, name="business_detail"),
    path("usaha/<int:pk>/ubah/", views.BusinessEditView.as_view(), name="business_edit"),
    path("usaha/<int:pk>/hapus/", views.BusinessDeleteView.as_view(), name="business_delete"),
    path("usaha/<int:pk>/pulihkan/", views.business_restore, name="business_restore"),
    path("usaha/<int:pk>/riwayat/", views.BusinessHistoryView.as_view(), name="business_history"),
    path("usaha/<int:pk>/buka-kontak/", views.business_reveal_contacts, name="business_reveal_contacts"),
    # Import and export : the shared engines, with this app's kinds.
    path("usaha/impor/", views_jobs.import_start, {"kind_key": "business"}, name="business_import"),
    path("usaha/ekspor/", views_jobs.export_view, {"key": "registry.business"}, name="business_export"),
    path("pelaku/ekspor/", views_jobs.export_view, {"key": "registry.owner"}, name="owner_export"),
    path("pelaku/", views.OwnerListView.as_view(), name="owner_list"),
    path("pelaku/baru/", views.OwnerEditView.as_view(), name="owner_add"),
    path("pelaku/<int:pk>/", views.owner_detail, name="owner_detail"),
    path("pelaku/<int:pk>/ubah/", views.OwnerEditView.as_view(), name="owner_edit"),
    path("pelaku/<int:pk>/buka-data/", views.owner_reveal, name="owner_reveal"),
    path("pelaku/<int:pk>/riwayat/", views.OwnerHistoryView.as_view(), name="owner_history"),
    path("pelaku/<int:pk>/data-pribadi/", views.owner_personal_data, name="owner_personal_data"),
    path("pelaku/<int:pk>/anonimkan/", views.owner_anonymise, name="owner_anonymise"),
]
