from django.urls import path

from . import views

app_name = "core"

# The home page (core:home) is the person's dashboards: config/urls.py
# mounts it from meetings into this namespace.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.language_set, name="language_set"),
]
