"""Who may do what with personal data. Deny by default."""

import rules

from accounts.rules import is_admin

rules.add_perm("privacy.view_audit_trail", is_admin)
rules.add_perm("privacy.erase_person", is_admin)
# The retention rules' dry run and the record of processing activities (GDPR art. 30):
# there is no data-protection officer role in Carrefour, the DPO asks an admin.
rules.add_perm("privacy.preview_retention", is_admin)
rules.add_perm("privacy.view_processing_record", is_admin)
