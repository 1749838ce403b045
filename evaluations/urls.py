from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("series/<uuid:series_id>/", views.series_evaluation, name="series_evaluation"),
    path("series/<uuid:series_id>/open/", views.evaluation_open, name="evaluation_open"),
    path("<uuid:evaluation_id>/", views.evaluation_detail, name="evaluation_detail"),
    path("<uuid:evaluation_id>/state/", views.evaluation_transition, name="evaluation_transition"),
    path("<uuid:evaluation_id>/questionnaire/", views.questionnaire, name="questionnaire"),
    path("<uuid:evaluation_id>/questionnaire/deadline/", views.evaluation_deadline, name="evaluation_deadline"),
    path("<uuid:evaluation_id>/questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("<uuid:evaluation_id>/questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("<uuid:evaluation_id>/questions/<int:question_id>/move/", views.question_move, name="question_move"),
    path("<uuid:evaluation_id>/answer/", views.response_edit, name="response_edit"),
    path("<uuid:evaluation_id>/answers/", views.answers, name="answers"),
    path("<uuid:evaluation_id>/sections/<int:section_id>/", views.section_edit, name="section_edit"),
    path("<uuid:evaluation_id>/sections/<int:section_id>/history/", views.section_history, name="section_history"),
    path("<uuid:evaluation_id>/sections/<int:section_id>/comments/", views.section_comment, name="section_comment"),
    path("<uuid:evaluation_id>/approval/", views.approval, name="approval"),
    path("<uuid:evaluation_id>/indicators/", views.indicators, name="indicators"),
    path("<uuid:evaluation_id>/exports/", views.exports, name="exports"),
    path("<uuid:evaluation_id>/exports/new/", views.export_start, name="export_start"),
    path("<uuid:evaluation_id>/exports/<uuid:job_id>/", views.export_status, name="export_status"),
    path("<uuid:evaluation_id>/exports/<uuid:job_id>/download/", views.export_download, name="export_download"),
]
