"""The keys of unsubscribe links: a row's random public id, dated and signed.

A key names no person and works UNSUBSCRIBE_MAX_AGE; a year-old link leads
to the preferences instead.
"""

import datetime
import uuid

from django.core import signing

from .models import Notification
from .registry import kind_get

UNSUBSCRIBE_SALT = "carrefour.notifications.unsubscribe"
# Long enough for an email kept in an inbox.
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=365)


def _unsubscribe_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(*, notification: Notification) -> str:
    """The key of the unsubscribe link of one email: the row's random public
    id, dated and signed. It names no person; it works UNSUBSCRIBE_MAX_AGE."""
    return _unsubscribe_signer().sign(notification.public_id.hex)


def unsubscribe_read(token: str) -> Notification:
    """The row an unsubscribe link was made for, with its recipient.

    Raises signing.SignatureExpired when the link is older than
    UNSUBSCRIBE_MAX_AGE, and signing.BadSignature when it is not one of ours
    (changed, cut, of a removed row or an inactive person, or of a kind
    nobody can turn off).
    """
    key = _unsubscribe_signer().unsign(token, max_age=UNSUBSCRIBE_MAX_AGE)
    try:
        public_id = uuid.UUID(hex=key)
    except ValueError:  # a link of the former kind, which named the person: no longer honoured
        raise signing.BadSignature("Not an unsubscribe key") from None
    notification = (
        Notification.objects.select_related("recipient").filter(public_id=public_id, recipient__is_active=True).first()
    )
    if notification is None:
        raise signing.BadSignature("No unsubscribe link of ours")
    try:
        mandatory = kind_get(notification.kind).mandatory
    except KeyError:  # a kind no app sends any more
        raise signing.BadSignature("No unsubscribe link of ours") from None
    if mandatory:
        raise signing.BadSignature("No unsubscribe link of ours")
    return notification
