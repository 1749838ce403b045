from django.urls import path

from . import views

app_name = "clinical"

urlpatterns = [
    path("log/", views.access_log, name="access_log"),
    path("series/<uuid:series_id>/", views.situation_list, name="list"),
    path("series/<uuid:series_id>/propose/", views.situation_propose, name="propose"),
    path("series/<uuid:series_id>/held/", views.pending_list, name="pending"),
    path("series/<uuid:series_id>/settings/", views.settings_edit, name="settings"),
    path("held/<uuid:pending_id>/confirm/", views.pending_decide, {"decision": "confirm"}, name="pending_confirm"),
    path("held/<uuid:pending_id>/refuse/", views.pending_decide, {"decision": "refuse"}, name="pending_refuse"),
    path("meetings/<uuid:session_id>/", views.session_situations, name="session"),
    path("meetings/<uuid:session_id>/owner/", views.session_owner, name="session_owner"),
    path("situations/<uuid:situation_id>/", views.situation_detail, name="situation"),
    path("situations/<uuid:situation_id>/edit/", views.situation_edit, name="edit"),
    path("situations/<uuid:situation_id>/rework/", views.situation_rework, name="rework"),
    path("situations/<uuid:situation_id>/choose/", views.situation_choose, name="choose"),
    path("situations/<uuid:situation_id>/present/", views.situation_present, name="present"),
    path("situations/<uuid:situation_id>/avenues/", views.recommendation_add, name="recommend"),
    path("situations/<uuid:situation_id>/follow-up/", views.follow_up_add, name="follow_up"),
    path("situations/<uuid:situation_id>/withdraw/", views.situation_withdraw, name="withdraw"),
    path("situations/<uuid:situation_id>/log/", views.situation_log, name="log"),
]
