from django.urls import path

from .views import bassin, network, opendoors

app_name = "bassins"

urlpatterns = [
    path("", bassin.bassin_index, name="index"),
    path("map/", network.map_page, name="map"),
    path("map/data.json", network.map_data, name="map_data"),
    path("map/table/", network.map_table, name="map_table"),
    path("map/links/<slug:a>/<slug:b>/", network.map_link, name="map_link"),
    path("map/operators/<slug:slug>/", network.operator_links, name="operator_links"),
    path("map/nodes.csv", network.map_nodes_csv, name="map_nodes_csv"),
    path("map/edges.csv", network.map_edges_csv, name="map_edges_csv"),
    path("map/graph.graphml", network.map_graphml, name="map_graphml"),
    path("open-doors/<uuid:week_id>/", opendoors.week_detail, name="week"),
    path("open-doors/<uuid:week_id>/visits/new/", opendoors.slot_create, name="slot_create"),
    path("open-doors/visits/<uuid:slot_id>/book/", opendoors.slot_book, name="slot_book"),
    path("open-doors/visits/<uuid:slot_id>/cancel/", opendoors.slot_cancel, name="slot_cancel"),
    path("open-doors/visits/<uuid:slot_id>/confirm/", opendoors.slot_confirm, name="slot_confirm"),
    path("open-doors/visits/<uuid:slot_id>/calendar.ics", opendoors.slot_calendar, name="slot_calendar"),
    path("open-doors/visits/<uuid:slot_id>/held/", opendoors.slot_held, name="slot_held"),
    path("<slug:slug>/", bassin.bassin_detail, name="detail"),
    path("<slug:slug>/municipalities/", bassin.bassin_municipalities_edit, name="municipalities"),
    path("<slug:slug>/open-doors/new/", opendoors.week_create, name="week_create"),
    path("<slug:slug>/state/", bassin.bassin_state_page, name="state"),
    path("<slug:slug>/state.pdf", bassin.bassin_state_pdf, name="state_pdf"),
    path("<slug:slug>/state/notes/new/", bassin.state_note_add, name="note_add"),
    path("<slug:slug>/state/notes/<int:pk>/delete/", bassin.state_note_delete, name="note_delete"),
    path("<slug:slug>/working-groups/", bassin.working_groups_create, name="working_groups_create"),
]
