"""URL patterns of the needs pages, joined into the meetings namespace by meetings/urls.py:
the decision and action registers, closing an action, the cooperation needs and their board."""

from django.urls import path

from .views import actions, needs

urlpatterns: list = [
    # Registers across series (meetings/views/actions.py)
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
]
