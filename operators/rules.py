"""Who may do what in the operators directory. Deny by default."""

import rules

from accounts.rules import (
    coordinates_a_series_of,
    is_admin,
    is_coordinator,
    is_referent_of,
    is_unattached,
    may_manage_team,
)

rules.add_perm("operators.view_directory", rules.is_authenticated)
rules.add_perm("operators.add_operator", is_admin | is_coordinator)
# The whole record (name, kind, territory, active flag): admins, and coordinators for the
# operators of their series or entries nobody belongs to yet.
may_change_record = is_admin | coordinates_a_series_of | (is_coordinator & is_unattached)
rules.add_perm("operators.change_operator", may_change_record)
# Description and contact only: what a referent keeps up to date.
rules.add_perm("operators.change_operator_contact", may_change_record | is_referent_of)
rules.add_perm("operators.manage_members", may_manage_team)
# Changing one's own role in a team: a referent may step down; nobody else promotes themselves.
rules.add_perm("operators.change_own_role", is_admin | is_referent_of)
# Inactive entries stay listed for those who keep the directory.
rules.add_perm("operators.view_inactive", is_admin | is_coordinator)
rules.add_perm("operators.export_directory", is_admin | is_coordinator)
