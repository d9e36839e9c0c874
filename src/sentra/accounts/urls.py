from django.contrib.auth import views as auth_views
from django.urls import path

from sentra.accounts import two_factor_views, views
from sentra.core import views_jobs

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.profile, name="profile"),
    path("dua-langkah/", two_factor_views.verify, name="two_factor_verify"),
    path("dua-langkah/daftar/", two_factor_views.enrol, name="two_factor_enrol"),
    path("dua-langkah/kode-cadangan/", two_factor_views.recovery_codes, name="two_factor_recovery_codes"),
    path("dua-langkah/kode-cadangan/baru/", two_factor_views.recovery_codes_renew, name="two_factor_recovery_renew"),
    path("dua-langkah/matikan/", two_factor_views.disable, name="two_factor_disable"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/ekspor/", views_jobs.export_view, {"key": "accounts.user"}, name="user_export"),
    path("pengguna/baru/", views.user_edit, name="user_add"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/ubah/", views.user_edit, name="user_edit"),
    path("pengguna/<int:pk>/reset-sandi/", views.user_reset_password, name="user_reset_password"),
    path("pengguna/<int:pk>/reset-dua-langkah/", two_factor_views.reset, name="user_reset_two_factor"),
]
