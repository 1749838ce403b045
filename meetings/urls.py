"""The URLs of series, sessions and their ritual, in the order of views/ and
services/: series, sessions, polls, calendar, agenda, info round, live
session, minutes, actions, needs, charter. (The home page and its dashboards are
mounted at the site's root by config/urls.py.)"""

from django.urls import path

from .views import (
    absences,
    actions,
    agenda,
    calendar,
    capacity,
    charter,
    corrections,
    inforound,
    live,
    minutes,
    needs,
    polls,
    series,
    sessions,
)

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
    # Absences and closed periods, which the info-round chasing respects (meetings/views/absences.py)
    path("absences/", absences.absences, name="absences"),
    path("absences/withdraw/", absences.absence_withdraw, name="absence_withdraw"),
    path("<uuid:series_id>/closed-periods/", absences.series_closures, name="series_closures"),
    # The capacity board (meetings/views/capacity.py)
    path("<uuid:series_id>/capacity/", capacity.series_capacity, name="series_capacity"),
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
    # The agenda: the series' template and its versions, one session's agenda (meetings/views/agenda.py)
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
    # Minutes approved at the next session (meetings/views/minutes.py, corrections.py)
    path(
        "sessions/<uuid:session_id>/minutes/corrections/", minutes.minutes_correction_add, name="minutes_correction_add"
    ),
    path(
        "sessions/<uuid:session_id>/live/items/<int:item_id>/approve-minutes/",
        corrections.live_minutes_approve,
        name="live_minutes_approve",
    ),
    # Decisions and actions: the registers across series, closing an action (meetings/views/actions.py)
    path("actions/", actions.action_register, name="action_register"),
    path("actions/export.csv", actions.action_export, name="action_export"),
    path("actions/<uuid:action_id>/close/", actions.action_close, name="action_close"),
    path("actions/<uuid:action_id>/reopen/", actions.action_reopen, name="action_reopen"),
    path("decisions/", actions.decision_register, name="decision_register"),
    path("decisions/export.csv", actions.decision_export, name="decision_export"),
    # Cooperation needs (meetings/views/needs.py)
    path("needs/", needs.need_board, name="need_board"),
    path("<uuid:series_id>/needs/new/", needs.need_raise, name="need_raise"),
    path("needs/<uuid:need_id>/", needs.need_detail, name="need_detail"),
    path("needs/<uuid:need_id>/endorse/", needs.need_endorse, name="need_endorse"),
    path("needs/<uuid:need_id>/confirm/", needs.need_confirm, name="need_confirm"),
    path("needs/<uuid:need_id>/close/", needs.need_close, name="need_close"),
    path("needs/<uuid:need_id>/reopen/", needs.need_reopen, name="need_reopen"),
    # The confidentiality charter (meetings/views/charter.py)
    path("<uuid:series_id>/charter/", charter.charter, name="charter"),
    path("<uuid:series_id>/charter/withdraw/", charter.charter_withdraw, name="charter_withdraw"),
    path("<uuid:series_id>/charter/edit/", charter.charter_edit, name="charter_edit"),
    path("<uuid:series_id>/charter/required/", charter.charter_requirement, name="charter_requirement"),
    path("<uuid:series_id>/charter/signatories/", charter.charter_signatories, name="charter_signatories"),
    path("<uuid:series_id>/charter/signatories.csv", charter.charter_signatories_csv, name="charter_signatories_csv"),
    path(
        "<uuid:series_id>/charter/signatories.xlsx", charter.charter_signatories_xlsx, name="charter_signatories_xlsx"
    ),
    path("<uuid:series_id>/charter/remind/", charter.charter_remind, name="charter_remind"),
]
