"""The graph's exports for coordinators: CSV of nodes, CSV of edges, GraphML.

They hold what the map shows the coordinator who exports: operators (a
service, never a person) and the links of the series they may see.
"""

import csv
import io
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _

from core.spreadsheets import cell_safe

from .selectors.network import LinkKind, Network

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _csv(rows) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([cell_safe(v) for v in row])
    return out.getvalue()


def nodes_csv(network: Network) -> str:
    header = [_("Identifier"), _("Name"), _("Short name"), _("Kind"), _("Territory"), _("Activity")]
    rows = [
        [op.slug, op.name, op.short_name, op.get_kind_display(), op.territory.name, network.activity[op.pk]]
        for op in network.operators
    ]
    return _csv([header, *rows])


def edges_csv(network: Network) -> str:
    header = [_("Source"), _("Target"), _("Count"), *(LinkKind.label(k) for k in LinkKind.all())]
    rows = [
        [link.source.slug, link.target.slug, link.count, *(link.kinds[k] for k in LinkKind.all())]
        for link in network.links
    ]
    return _csv([header, *rows])


def graphml(network: Network) -> bytes:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    keys = [
        ("name", "node", "string"),
        ("kind", "node", "string"),
        ("territory", "node", "string"),
        ("activity", "node", "int"),
        ("count", "edge", "int"),
        *((f"links_{k}", "edge", "int") for k in LinkKind.all()),
    ]
    for name, target, kind in keys:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": name, "for": target, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "carrefour", "edgedefault": "undirected"})

    def data(parent, key, value):
        ET.SubElement(parent, f"{{{GRAPHML_NS}}}data", {"key": key}).text = str(value)

    for op in network.operators:
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": op.slug})
        data(node, "name", op.name)
        data(node, "kind", op.kind)
        data(node, "territory", op.territory.name)
        data(node, "activity", network.activity[op.pk])
    for link in network.links:
        edge = ET.SubElement(
            graph,
            f"{{{GRAPHML_NS}}}edge",
            {"id": f"{link.source.slug}--{link.target.slug}", "source": link.source.slug, "target": link.target.slug},
        )
        data(edge, "count", link.count)
        for k in LinkKind.all():
            data(edge, f"links_{k}", link.kinds[k])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
