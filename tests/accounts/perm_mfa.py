"""Expected outcomes per persona for allauth's two-factor pages (see tests/test_permissions.py).

Each concerns the signed-in person's own account. The permission table signs
in with force_login, which allauth does not count as a fresh authentication:
changing one's authenticators first asks for the password again (a redirect
to the reauthentication page). Without an authenticator yet, its deactivation
and recovery codes do not exist (404). The set-up itself is tested in
tests/accounts/test_second_factor.py.
"""

L = "login"
SIGNED_IN = (L,) + (200,) * 9
REAUTHENTICATE = (L,) + (302,) * 9
MISSING = (L,) + (404,) * 9

EXPECTED = {
    "mfa_index": SIGNED_IN,
    "mfa_authenticate": (L,) + (302,) * 9,  # a step of signing in: nothing to do once signed in
    "mfa_reauthenticate": REAUTHENTICATE,  # only with a second factor: back to the password
    "mfa_activate_totp": REAUTHENTICATE,
    "mfa_deactivate_totp": MISSING,
    "mfa_view_recovery_codes": MISSING,
    "mfa_generate_recovery_codes": REAUTHENTICATE,
    "mfa_download_recovery_codes": MISSING,
}
POST_ONLY: set[str] = set()


def url_kwargs(request) -> dict:
    return {}
