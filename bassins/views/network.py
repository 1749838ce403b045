"""The map of actors and their links: the page, its data, the table alternative,
a link's evidence, an operator's links and the exports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.fragments import TIMEOUT
from core.services import audit_record
from operators.fragments import directory_fragment_key
from operators.models import Operator

from .. import exporters
from ..forms import MapFilterForm
from ..selectors.network import MapFilters, map_graph, network_build, network_link


def _network(request):
    form = MapFilterForm(request.GET or None)
    return form, network_build(request.user, form.filters())


def _querystring(request) -> str:
    return request.GET.urlencode()


def _filters_context(request) -> dict:
    """What the filters' form needs to be served from the cache."""
    return {"filters_key": directory_fragment_key("map-filters", _querystring(request)), "fragment_timeout": TIMEOUT}


@login_required
def map_page(request):
    form = MapFilterForm(request.GET or None)
    graph = map_graph(request.user, form.filters())
    return render(
        request,
        "bassins/map.html",
        {
            "form": form,
            "counts": {"operators": graph.operators, "links": graph.links},
            "querystring": _querystring(request),
            "kinds": Operator.Kind.choices,
            **_filters_context(request),
        },
    )


@login_required
def map_data(request):
    graph = map_graph(request.user, MapFilterForm(request.GET or None).filters())
    return HttpResponse(graph.data, content_type="application/json")


@login_required
def map_table(request):
    form, network = _network(request)
    # The table is kept in the cache with the links and names it shows; its rows are made on a miss only.
    return render(
        request,
        "bassins/map_table.html",
        {
            "form": form,
            "network": network,
            "counts": {"operators": len(network.operators), "links": len(network.links)},
            "rows": lambda: [(op, network.links_of(op)) for op in network.operators],
            "table_key": f"{network.cache_key}:{_querystring(request)}",
            "querystring": _querystring(request),
            **_filters_context(request),
        },
    )


@login_required
def map_link(request, a, b):
    first = get_object_or_404(Operator, slug=a, is_active=True)
    second = get_object_or_404(Operator, slug=b, is_active=True)
    form = MapFilterForm(request.GET or None)
    filters = form.filters()
    # The evidence of one link: the same period, only these two operators.
    network = network_build(
        request.user, MapFilters(since=filters.since, until=filters.until), evidence_of=(first, second)
    )
    link = network_link(network, first, second)
    if link is None:
        raise Http404
    template = "bassins/_link_evidence.html" if request.htmx else "bassins/map_link.html"
    return render(request, template, {"link": link, "querystring": _querystring(request)})


@login_required
def operator_links(request, slug):
    operator = get_object_or_404(Operator, slug=slug, is_active=True)
    network = network_build(request.user, MapFilters())
    links = network.links_of(operator)
    template = "bassins/_operator_links.html" if request.htmx else "bassins/operator_links.html"
    return render(request, template, {"operator": operator, "links": links})


def _export(request, content, content_type: str, name: str, network) -> HttpResponse:
    audit_record(
        actor=request.user,
        action="map.export",
        detail={"file": name, "nodes": len(network.operators), "edges": len(network.links)},
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="carrefour-map-{name}-{timezone.localdate()}"'
    return response


def _network_to_export(request):
    if not request.user.has_perm("bassins.export_map"):
        raise PermissionDenied
    return _network(request)[1]


@login_required
def map_nodes_csv(request):
    network = _network_to_export(request)
    return _export(request, exporters.nodes_csv(network), "text/csv; charset=utf-8", "nodes.csv", network)


@login_required
def map_edges_csv(request):
    network = _network_to_export(request)
    return _export(request, exporters.edges_csv(network), "text/csv; charset=utf-8", "edges.csv", network)


@login_required
def map_graphml(request):
    network = _network_to_export(request)
    return _export(request, exporters.graphml(network), "application/graphml+xml", "graph.graphml", network)
