"""Who may reach the privacy pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin, individual, session_registrant. A copy of someone else's data
answers 404; the `member` fixture has a finished copy.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from privacy.models import DataExport

LOGIN, OK = "login", 200
ADMIN = (LOGIN, 403, 403, 403, 403, 403, 403, OK, 403, 403)
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK)
OWN = (LOGIN, 404, 404, OK, 404, 404, 404, 404, 404, 404)

EXPECTED = {
    "privacy:notice": (OK,) * 10,
    "privacy:audit_trail": ADMIN,
    "privacy:audit_trail_export": ADMIN,
    "privacy:my_data": SIGNED_IN,
    "privacy:my_data_request": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "privacy:my_data_status": OWN,
    "privacy:my_data_download": OWN,
    "privacy:account_close": SIGNED_IN,
    "privacy:person_erase": ADMIN,
    "privacy:processing_record": ADMIN,
    "privacy:processing_record_docx": ADMIN,
    "privacy:retention_preview": ADMIN,
}
POST_ONLY = {"privacy:my_data_request"}


def url_kwargs(request):
    member = request.getfixturevalue("member")
    export = DataExport(
        user=member, status=DataExport.Status.DONE, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    export.file.save("copy.zip", ContentFile(b"PK"), save=True)
    return {
        "privacy:my_data_status": {"public_id": export.public_id},
        "privacy:my_data_download": {"public_id": export.public_id},
        "privacy:person_erase": {"pk": member.pk},
    }
