"""URL patterns of the agenda pages, joined into the meetings namespace by meetings/urls.py."""

from django.urls import path

from .views import agenda, inforound

urlpatterns = [
    # The series' agenda template and its versions (meetings/views/agenda.py)
    path("<uuid:series_id>/agenda/", agenda.agenda_template, name="agenda_template"),
    path("<uuid:series_id>/agenda/prepare/", agenda.agenda_template_prepare, name="agenda_template_prepare"),
    path("<uuid:series_id>/agenda/draft/", agenda.agenda_draft, name="agenda_draft"),
    path("<uuid:series_id>/agenda/draft/discard/", agenda.agenda_draft_discard, name="agenda_draft_discard"),
    path("<uuid:series_id>/agenda/draft/items/new/", agenda.agenda_draft_item_add, name="agenda_draft_item_add"),
    path("<uuid:series_id>/agenda/draft/items/<int:pk>/", agenda.agenda_draft_item_edit, name="agenda_draft_item_edit"),
    path(
        "<uuid:series_id>/agenda/draft/items/<int:pk>/delete/",
        agenda.agenda_draft_item_delete,
        name="agenda_draft_item_delete",
    ),
    path(
        "<uuid:series_id>/agenda/draft/items/<int:pk>/move/",
        agenda.agenda_draft_item_move,
        name="agenda_draft_item_move",
    ),
    path(
        "<uuid:series_id>/agenda/draft/questions/new/",
        agenda.agenda_draft_question_add,
        name="agenda_draft_question_add",
    ),
    path(
        "<uuid:series_id>/agenda/draft/questions/<int:pk>/",
        agenda.agenda_draft_question_edit,
        name="agenda_draft_question_edit",
    ),
    path(
        "<uuid:series_id>/agenda/draft/questions/<int:pk>/delete/",
        agenda.agenda_draft_question_delete,
        name="agenda_draft_question_delete",
    ),
    path(
        "<uuid:series_id>/agenda/draft/questions/<int:pk>/move/",
        agenda.agenda_draft_question_move,
        name="agenda_draft_question_move",
    ),
    # One session's agenda
    path("sessions/<uuid:session_id>/agenda/", agenda.session_agenda_edit, name="session_agenda_edit"),
    path("sessions/<uuid:session_id>/agenda/new/", agenda.session_agenda_item_add, name="session_agenda_item_add"),
    path(
        "sessions/<uuid:session_id>/agenda/<int:pk>/", agenda.session_agenda_item_edit, name="session_agenda_item_edit"
    ),
    path(
        "sessions/<uuid:session_id>/agenda/<int:pk>/delete/",
        agenda.session_agenda_item_delete,
        name="session_agenda_item_delete",
    ),
    path(
        "sessions/<uuid:session_id>/agenda/<int:pk>/move/",
        agenda.session_agenda_item_move,
        name="session_agenda_item_move",
    ),
    # The info round (meetings/views/inforound.py)
    path("sessions/<uuid:session_id>/info-round/", inforound.inforound_compiled, name="inforound_compiled"),
    path("sessions/<uuid:session_id>/info-round/board/", inforound.inforound_board, name="inforound_board"),
    path(
        "sessions/<uuid:session_id>/info-round/operators/<slug:operator_slug>/",
        inforound.inforound_entry,
        name="inforound_entry",
    ),
]
