"""Who may do what with bassins and the map. Deny by default.

A bassin's page, its état des lieux and the map are for every signed-in person
of the portal; the map shows only the links of series the person may see.
Its coordination team (and admins) keep the bassin: notes, working groups.
"""

import rules

from accounts.rules import is_admin, is_coordinator, is_member_of

from .selectors.access import coordinated_bassin_ids


@rules.predicate
def is_bassin_coordinator(user, bassin):
    return bassin is not None and bassin.pk in coordinated_bassin_ids(user)


rules.add_perm("bassins.view_bassin", rules.is_authenticated)
rules.add_perm("bassins.change_bassin", is_admin | is_bassin_coordinator)
rules.add_perm("bassins.view_map", rules.is_authenticated)
# The open-doors week: the team opens it, every service of the bassin publishes visits
# (any member of it; the services check the bassin), every signed-in person books;
# a host's members see its visitors and confirm the visit was held.
rules.add_perm("bassins.open_week", is_admin | is_bassin_coordinator)
rules.add_perm("bassins.host_visits", is_admin | is_member_of)
rules.add_perm("bassins.book_visit", rules.is_authenticated)
# The graph's exports (CSV, GraphML) are for coordinators, like the directory's.
rules.add_perm("bassins.export_map", is_admin | is_coordinator)
