from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.index, name="index"),
    path("requests/<uuid:request_id>/", views.request_detail, name="request"),
    path("requests/<uuid:request_id>/take/", views.request_take, name="take"),
    path("requests/<uuid:request_id>/assign/", views.request_assign, name="assign"),
    path("requests/<uuid:request_id>/status/", views.request_status, name="status"),
    path("requests/<uuid:request_id>/close/", views.request_close, name="close"),
    path("requests/<uuid:request_id>/messages/", views.message_add, name="message"),
    path("requests/<uuid:request_id>/contacts/", views.contact_add, name="contact"),
    path("requests/<uuid:request_id>/hand-over/", views.hand_over, name="hand_over"),
    path("requests/<uuid:request_id>/hand-over/situation/", views.hand_over_situation, name="hand_over_situation"),
    path("<slug:slug>/", views.desk, name="desk"),
    path("<slug:slug>/ask/", views.request_create, name="create"),
    path("<slug:slug>/queue/", views.queue, name="queue"),
    path("<slug:slug>/team/", views.team, name="team"),
    path("<slug:slug>/team/<int:pk>/remove/", views.team_remove, name="team_remove"),
    path("<slug:slug>/figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
]
