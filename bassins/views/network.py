"""The map of actors and their links: the page, its data, the table alternative,
a link's evidence, an operator's links and the exports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.fragments import TIMEOUT
from core.services import audit_record
from operators.fragments import directory_fragment_key
from operators.models import Operator

from .. import exporters
from ..forms import MapFilterForm
from ..selectors.network import MapFilters, VisibleMap, network_build, network_link


def _network(request):
    form = MapFilterForm(request.GET or None)
    return form, network_build(request.user, form.filters())


def _filter_query(request) -> QueryDict:
    """The filters of the querystring, in the form's order (the last value of each, as the form reads
    it): the links of the pages keep them, and the cache keys stand for them."""
    query = QueryDict(mutable=True)
    for name in MapFilters.FIELDS:
        if value := request.GET.get(name):
            query[name] = value
    return query


def _visible_map(request) -> tuple[VisibleMap, MapFilterForm]:
    """The map the person sees with the filters of the request, and its filter form:
    made and validated only when the cache misses (it reads the territories)."""
    query = _filter_query(request)
    form = SimpleLazyObject(lambda: MapFilterForm(query or None))
    return VisibleMap(request.user, query.urlencode(), lambda: form.filters()), form


def _page_context(request, visible: VisibleMap, form) -> dict:
    """What the page of the map and its table share. Their content is kept in the cache
    for the person, the filters and whether they may export (the buttons); the filters'
    form for everyone, with the same filters while no operator or territory changes."""
    return {
        "form": form,
        "counts": SimpleLazyObject(visible.counts),
        "querystring": visible.query,
        "may_export": request.user.has_perm("bassins.export_map"),
        "filters_key": SimpleLazyObject(lambda: directory_fragment_key("map-filters", visible.query)),
        "fragment_timeout": TIMEOUT,
    }


@login_required
def map_page(request):
    visible, form = _visible_map(request)
    context = _page_context(request, visible, form)
    context.update(kinds=Operator.Kind.choices, page_key=visible.fragment_key("page", context["may_export"]))
    return render(request, "bassins/map.html", context)


@login_required
def map_data(request):
    visible, _form = _visible_map(request)
    return HttpResponse(visible.data(), content_type="application/json")


# Operators a page of the table of the links shows: its users read it with a screen reader, a page at a time.
TABLE_PAGE_SIZE = 25


@login_required
def map_table(request):
    visible, form = _visible_map(request)
    context = _page_context(request, visible, form)
    page = Paginator(range(visible.counts().operators), TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    # The rows of a page are made on a miss only.
    start, stop = page.object_list.start, page.object_list.stop
    context.update(
        page=page,
        page_range=lambda: list(page.paginator.get_elided_page_range(page.number)),
        rows=lambda: visible.rows(start, stop),
        table_key=visible.fragment_key("table", TABLE_PAGE_SIZE, page.number, context["may_export"]),
    )
    return render(request, "bassins/map_table.html", context)


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
    return render(request, template, {"link": link, "querystring": _filter_query(request).urlencode()})


@login_required
def operator_links(request, slug):
    operator = get_object_or_404(Operator, slug=slug, is_active=True)
    visible = VisibleMap(request.user, "", MapFilters)
    template = "bassins/_operator_links.html" if request.htmx else "bassins/operator_links.html"
    # Kept in the cache for the person with the map's links and names; read on a miss only.
    context = {
        "operator": operator,
        "links": SimpleLazyObject(lambda: visible.network.links_of(operator)),
        "links_key": visible.fragment_key("operator", operator.pk),
        "fragment_timeout": TIMEOUT,
    }
    return render(request, template, context)


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
