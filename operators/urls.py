from django.urls import path

from . import views

app_name = "operators"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.operator_create, name="create"),
    path("export.csv", views.directory_export, name="export"),
    path("<slug:slug>/", views.operator_detail, name="detail"),
    path("<slug:slug>/edit/", views.operator_edit, name="edit"),
    path("<slug:slug>/members/", views.operator_members, name="members"),
    path("<slug:slug>/members/<int:pk>/role/", views.membership_role, name="membership_role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
]
