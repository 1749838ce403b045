"""URL patterns of the live session and the minutes, joined into the meetings namespace by meetings/urls.py."""

from django.urls import path

from .views import live, minutes

urlpatterns = [
    # Running the session live (meetings/views/live.py)
    path("sessions/<uuid:session_id>/live/", live.session_live, name="session_live"),
    path("sessions/<uuid:session_id>/live/items/<int:item_id>/start/", live.live_item_start, name="live_item_start"),
    path("sessions/<uuid:session_id>/live/next/", live.live_next_item, name="live_next_item"),
    path("sessions/<uuid:session_id>/live/items/<int:item_id>/notes/", live.live_notes_save, name="live_notes_save"),
    path("sessions/<uuid:session_id>/live/attendance/", live.live_attendance, name="live_attendance"),
    path("sessions/<uuid:session_id>/live/decisions/", live.live_decision_add, name="live_decision_add"),
    path("sessions/<uuid:session_id>/live/actions/", live.live_action_add, name="live_action_add"),
    path("sessions/<uuid:session_id>/live/needs/", live.live_need_add, name="live_need_add"),
    path("sessions/<uuid:session_id>/end/", live.session_end, name="session_end"),
    # Minutes (meetings/views/minutes.py)
    path("sessions/<uuid:session_id>/minutes/", minutes.minutes_detail, name="minutes_detail"),
    path("sessions/<uuid:session_id>/minutes/edit/", minutes.minutes_edit, name="minutes_edit"),
    path("sessions/<uuid:session_id>/minutes/state/", minutes.minutes_transition, name="minutes_transition"),
    path("sessions/<uuid:session_id>/minutes/versions/", minutes.minutes_versions, name="minutes_versions"),
    path("sessions/<uuid:session_id>/minutes.pdf", minutes.minutes_pdf, name="minutes_pdf"),
]
