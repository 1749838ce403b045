"""The key of the one-click cancellation link of the registration emails:
the registration's random public id, dated and signed. It names no person
and no row number; it works CANCEL_MAX_AGE."""

import datetime
import uuid

from django.core import signing

from .models import Registration

CANCEL_SALT = "carrefour.registrations.cancel"
CANCEL_MAX_AGE = datetime.timedelta(days=180)


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=CANCEL_SALT)


def cancel_token(registration: Registration) -> str:
    return _signer().sign(registration.public_id.hex)


def cancel_read(token: str) -> Registration:
    """The registration a cancellation link was made for.

    Raises signing.SignatureExpired when the link is older than
    CANCEL_MAX_AGE, signing.BadSignature when it is not one of ours."""
    if len(token) > 200:
        raise signing.BadSignature("Too long")
    key = _signer().unsign(token, max_age=CANCEL_MAX_AGE)
    try:
        public_id = uuid.UUID(hex=key)
    except ValueError:
        raise signing.BadSignature("Not a cancellation key") from None
    registration = (
        Registration.objects.select_related("series", "session", "user")
        .filter(public_id=public_id, user__is_active=True)
        .first()
    )
    if registration is None:
        raise signing.BadSignature("No registration of ours")
    return registration
