"""Who may do what with bassins and the map. Deny by default.

A bassin's page, its état des lieux and the map are for every signed-in person
of the portal; the map shows only the links of series the person may see.
Its coordination team (and admins) keep the bassin: notes, working groups.
"""

import rules

from accounts.rules import is_admin, is_coordinator

from .selectors.access import coordinated_bassin_ids


@rules.predicate
def is_bassin_coordinator(user, bassin):
    return bassin is not None and bassin.pk in coordinated_bassin_ids(user)


rules.add_perm("bassins.view_bassin", rules.is_authenticated)
rules.add_perm("bassins.change_bassin", is_admin | is_bassin_coordinator)
rules.add_perm("bassins.view_map", rules.is_authenticated)
# The graph's exports (CSV, GraphML) are for coordinators, like the directory's.
rules.add_perm("bassins.export_map", is_admin | is_coordinator)
