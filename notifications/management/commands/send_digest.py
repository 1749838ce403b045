"""Send one person's weekly digest now: `manage.py send_digest someone@example.org`.

It goes through the same row and sender as the weekly run (a row for today
with the "on-demand" period), so sending it twice the same day sends once.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.delivery import notification_send
from notifications.digest import OBJECT_TYPE, DigestKind
from notifications.models import Notification


class Command(BaseCommand):
    help = "Send the weekly digest of one person now (once a day at most)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the person's email address")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active person with the address {email!r}.")
        row, _created = Notification.objects.get_or_create(
            recipient=user,
            kind=DigestKind.DIGEST,
            object_type=OBJECT_TYPE,
            object_id=str(user.pk),
            period=f"on-demand-{timezone.localdate().isoformat()}",
        )
        state = notification_send(notification_id=row.pk)
        self.stdout.write(f"digest for {user.pk}: {state}")
