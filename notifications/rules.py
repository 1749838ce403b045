"""Who may do what with the portal's own pages. Deny by default."""

import rules

from accounts.rules import is_admin

rules.add_perm("core.view_failed_notifications", is_admin)
