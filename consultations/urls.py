"""The URLs of consultations: a series' page, a participant's contributions, the
coordinators' board, the synthesis and its files."""

from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("series/<uuid:series_id>/", views.series_page, name="series"),
    path("series/<uuid:series_id>/question/", views.contribution_question, name="contribution_question"),
    # A participant's contributions
    path("sessions/<uuid:session_id>/", views.session_page, name="session"),
    path("contributions/<uuid:contribution_id>/edit/", views.contribution_edit, name="contribution_edit"),
    path("contributions/<uuid:contribution_id>/withdraw/", views.contribution_withdraw, name="contribution_withdraw"),
    # The coordinators' board
    path("sessions/<uuid:session_id>/board/", views.board, name="board"),
    path("sessions/<uuid:session_id>/record/", views.record, name="record"),
    path("sessions/<uuid:session_id>/paste/", views.paste, name="paste"),
    path("sessions/<uuid:session_id>/collection/", views.collection, name="collection"),
    path("sessions/<uuid:session_id>/themes/", views.theme_create, name="theme_create"),
    path("sessions/<uuid:session_id>/themes/<int:pk>/", views.theme_edit, name="theme_edit"),
    path("sessions/<uuid:session_id>/themes/<int:pk>/move/", views.theme_move, name="theme_move"),
    path("sessions/<uuid:session_id>/merge/", views.items_merge, name="items_merge"),
    path("items/<uuid:contribution_id>/move/", views.item_move, name="item_move"),
    path("items/<uuid:contribution_id>/answer/", views.item_answer, name="item_answer"),
    path("items/<uuid:contribution_id>/forward/", views.item_forward, name="item_forward"),
    path("sessions/<uuid:session_id>/follow-up/", views.follow_up_add, name="follow_up_add"),
    # The synthesis
    path("sessions/<uuid:session_id>/synthesis/", views.synthesis, name="synthesis"),
    path("sessions/<uuid:session_id>/synthesis/edit/", views.synthesis_edit, name="synthesis_edit"),
    path("sessions/<uuid:session_id>/synthesis/publish/", views.synthesis_publish, name="synthesis_publish"),
    path("sessions/<uuid:session_id>/synthesis.<str:fmt>", views.synthesis_file, name="synthesis_file"),
]
