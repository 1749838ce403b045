"""Who may do what in the operators directory. Deny by default."""

import rules

from accounts.rules import is_admin, is_coordinator, is_referent_of

rules.add_perm("operators.view_directory", rules.is_authenticated)
rules.add_perm("operators.add_operator", is_admin | is_coordinator)
# The whole record (name, kind, territory, active flag).
rules.add_perm("operators.change_operator", is_admin | is_coordinator)
# Description and contact only: what a referent keeps up to date.
rules.add_perm("operators.change_operator_contact", is_admin | is_coordinator | is_referent_of)
rules.add_perm("operators.manage_members", is_admin | is_coordinator | is_referent_of)
rules.add_perm("operators.export_directory", is_admin | is_coordinator)
