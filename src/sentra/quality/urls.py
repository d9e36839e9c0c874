from django.urls import path  # noqa: F401

app_name = "quality"

# Paths are written in full here (the app is included at the site root) so that one app may serve several
# top-level paths of the site map.
urlpatterns: list = []
