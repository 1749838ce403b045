from django.urls import path

from .views import bassin

app_name = "bassins"

urlpatterns = [
    path("", bassin.bassin_index, name="index"),
    path("<slug:slug>/", bassin.bassin_detail, name="detail"),
    path("<slug:slug>/state/", bassin.bassin_state_page, name="state"),
    path("<slug:slug>/state.pdf", bassin.bassin_state_pdf, name="state_pdf"),
    path("<slug:slug>/state/notes/new/", bassin.state_note_add, name="note_add"),
    path("<slug:slug>/state/notes/<int:pk>/delete/", bassin.state_note_delete, name="note_delete"),
    path("<slug:slug>/working-groups/", bassin.working_groups_create, name="working_groups_create"),
]
