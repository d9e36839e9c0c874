from django.urls import path

from sentra.api import views

app_name = "api"

urlpatterns = [
    path("baru/", views.token_create, name="token_create"),
    path("<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
]
