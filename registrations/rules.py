"""Who may do what with registrations. Deny by default.

Registering is for everyone a series' page is for (signing up first when
not signed in); a registration is its person's; the lists, exports and
attendance are for the series' coordinators (and admins).
"""

import rules

from accounts.rules import is_admin
from meetings.rules import is_series_coordinator

rules.add_perm("registrations.manage_series", is_admin | is_series_coordinator)
