"""The URLs of registrations: the public side, a person's own, the coordinators'."""

from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    # The public side: open series, their pages, registering (signing up first without an account)
    path("", views.open_series, name="open_series"),
    path("series/<uuid:series_id>/", views.series_public, name="series_public"),
    path("series/<uuid:series_id>/register/", views.register, name="register"),
    path("sessions/<uuid:session_id>/register/", views.register_session, name="register_session"),
    # A person's own registrations
    path("mine/", views.mine, name="mine"),
    path("<uuid:registration_id>/", views.detail, name="detail"),
    path("<uuid:registration_id>/confirm/", views.confirm, name="confirm"),
    path("<uuid:registration_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:registration_id>/calendar.ics", views.calendar, name="calendar"),
    path("cancel/<str:token>/", views.cancel_by_token, name="cancel_by_token"),
    path("sessions/<uuid:session_id>/mine/", views.my_session, name="my_session"),
    # The coordinators'
    path("series/<uuid:series_id>/manage/", views.manage, name="manage"),
    path("series/<uuid:series_id>/export.<str:fmt>", views.export, name="export"),
    path("series/<uuid:series_id>/questions/", views.questions, name="questions"),
    path("series/<uuid:series_id>/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("sessions/<uuid:session_id>/", views.session_registrations, name="session_registrations"),
    path("sessions/<uuid:session_id>/attendance/", views.attendance, name="attendance"),
    path("sessions/<uuid:session_id>/attendance/live/", views.live_attendance, name="live_attendance"),
    path("sessions/<uuid:session_id>/attendance-sheet/", views.attendance_sheet, name="attendance_sheet"),
    path("<uuid:registration_id>/decide/", views.decide, name="decide"),
    path("<uuid:registration_id>/link/", views.link_operator, name="link_operator"),
]
