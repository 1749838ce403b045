"""Who may do what with personal data. Deny by default."""

import rules

from accounts.rules import is_admin

rules.add_perm("privacy.view_audit_trail", is_admin)
rules.add_perm("privacy.erase_person", is_admin)
