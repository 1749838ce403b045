"""Who may reach the notification pages (read by tests/test_permissions.py).

Outcomes in PERSONAS order: anonymous, outsider, other_member, member,
referent, other_coordinator, coordinator, admin,
individual, session_registrant.
"""

LOGIN, OK = "login", 200
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK)
ADMINS = (LOGIN, 403, 403, 403, 403, 403, 403, 302, 403, 403)

EXPECTED = {
    "notifications:preferences": SIGNED_IN,
    "notifications:digest_preview": SIGNED_IN,
    # The signed token is the key: no sign-in needed (one-click unsubscribe).
    "notifications:unsubscribe": (OK,) * 10,
    "notifications:failed": (LOGIN, 403, 403, 403, 403, 403, 403, OK, 403, 403),
    "notifications:resend": ADMINS,
}
POST_ONLY = {"notifications:resend"}
POST_DATA: dict[str, dict] = {}


def url_kwargs(request) -> dict:
    from meetings.notifications import MeetingKind
    from notifications.models import Notification
    from notifications.unsubscribe import unsubscribe_token

    member = request.getfixturevalue("member")
    failed = Notification.objects.create(
        recipient=member,
        kind=MeetingKind.SESSION_REMINDER,
        object_type="meetings.session",
        object_id="0",
        state=Notification.State.FAILED,
    )
    token = unsubscribe_token(notification=failed)
    return {"notifications:unsubscribe": {"token": token}, "notifications:resend": {"pk": failed.pk}}
