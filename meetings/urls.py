from django.urls import path

from . import urls_agenda, urls_dashboard, urls_minutes, urls_needs
from .views import calendar, polls, series, sessions

app_name = "meetings"

urlpatterns = [
    # Series, participants, join requests (meetings/views/series.py)
    path("", series.series_list, name="series_list"),
    path("new/", series.series_create, name="series_create"),
    path("<uuid:series_id>/", series.series_detail, name="series_detail"),
    path("<uuid:series_id>/edit/", series.series_edit, name="series_edit"),
    path("<uuid:series_id>/operators/", series.participants, name="participants"),
    path("<uuid:series_id>/operators/<int:pk>/end/", series.participation_end, name="participation_end"),
    path("<uuid:series_id>/join/", series.join_request_create, name="join_request_create"),
    path("<uuid:series_id>/requests/", series.join_request_list, name="join_request_list"),
    path("<uuid:series_id>/requests/<int:pk>/decide/", series.join_request_decide, name="join_request_decide"),
    # Recurrence and sessions (meetings/views/sessions.py)
    path("<uuid:series_id>/recurrence/", sessions.recurrence_edit, name="recurrence_edit"),
    path("<uuid:series_id>/calendar-dates/", sessions.calendar_dates, name="calendar_dates"),
    path("<uuid:series_id>/sessions/new/", sessions.session_add, name="session_add"),
    path("sessions/<uuid:session_id>/", sessions.session_detail, name="session_detail"),
    path("sessions/<uuid:session_id>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<uuid:session_id>/cancel/", sessions.session_cancel, name="session_cancel"),
    # Slot polls (meetings/views/polls.py)
    path("<uuid:series_id>/polls/new/", polls.poll_create, name="poll_create"),
    path("polls/<uuid:poll_id>/", polls.poll_detail, name="poll_detail"),
    path("polls/<uuid:poll_id>/answer/", polls.poll_answer, name="poll_answer"),
    path("polls/<uuid:poll_id>/close/", polls.poll_close, name="poll_close"),
    # Calendar files and feeds (meetings/views/calendar.py)
    path("sessions/<uuid:session_id>/session.ics", calendar.session_ics, name="session_ics"),
    path("calendar/", calendar.feed_settings, name="feed_settings"),
    path("calendar/regenerate/", calendar.feed_regenerate, name="feed_regenerate"),
    path("calendar/revoke/", calendar.feed_revoke, name="feed_revoke"),
    path("feeds/<str:token>.ics", calendar.person_feed, name="person_feed"),
    path("<uuid:series_id>/feed/<str:token>.ics", calendar.series_feed, name="series_feed"),
    path("<uuid:series_id>/feed/regenerate/", calendar.series_feed_regenerate, name="series_feed_regenerate"),
]

# The ritual: agenda and info round, the live session and minutes, actions,
# decisions and cooperation needs, and the registers across series.
urlpatterns += urls_agenda.urlpatterns + urls_minutes.urlpatterns + urls_needs.urlpatterns + urls_dashboard.urlpatterns
