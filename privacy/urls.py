from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("audit/export/", views.audit_trail_export, name="audit_trail_export"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/request/", views.my_data_request, name="my_data_request"),
    path("my-data/<uuid:public_id>/", views.my_data_status, name="my_data_status"),
    path("my-data/<uuid:public_id>/download/", views.my_data_download, name="my_data_download"),
    path("close-my-account/", views.account_close, name="account_close"),
    path("record/", views.processing_record_page, name="processing_record"),
    path("record.docx", views.processing_record_download, name="processing_record_docx"),
    path("retention/", views.retention_preview, name="retention_preview"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
]
