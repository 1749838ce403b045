"""Who may reach the privacy pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin.
"""

LOGIN, OK = "login", 200
ADMIN = (LOGIN, 403, 403, 403, 403, 403, 403, OK)

EXPECTED = {
    "privacy:notice": (OK,) * 8,
    "privacy:audit_trail": ADMIN,
    "privacy:audit_trail_export": ADMIN,
}
POST_ONLY: set[str] = set()


def url_kwargs(request):
    return {}
