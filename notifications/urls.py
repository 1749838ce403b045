from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("digest/", views.digest_preview, name="digest_preview"),
    path("failed/", views.failed, name="failed"),
    path("failed/<int:pk>/resend/", views.resend, name="resend"),
]
