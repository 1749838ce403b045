"""Who may do what with the notifications' own pages. Deny by default."""

import rules

# The platform's administrators (as accounts.rules.is_admin says, without
# making this app depend on accounts).
is_admin = rules.is_authenticated & rules.is_active & rules.is_superuser

rules.add_perm("notifications.view_failed", is_admin)
