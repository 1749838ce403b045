from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("audit/export/", views.audit_trail_export, name="audit_trail_export"),
]
