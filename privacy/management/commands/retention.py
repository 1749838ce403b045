from django.core.management.base import BaseCommand

from privacy.retention import retention_apply


class Command(BaseCommand):
    help = "Apply the retention rules of the privacy notice now; --dry-run prints what they would do."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Change nothing; list what would be done.")

    def handle(self, *args, dry_run=False, **options):
        report = retention_apply(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        for title, people in (
            ("warned (inactive)", report.warned),
            ("deactivated", report.deactivated),
            ("erased", report.erased),
        ):
            self.stdout.write(f"Accounts that {verb} {title}: {len(people)}")
            for person in people:
                self.stdout.write(f"  {person}")
        self.stdout.write(f"Notifications that {verb} deleted: {report.notifications}")
        self.stdout.write(f"Audit events that {verb} deleted: {report.audit_events}")
        self.stdout.write(f"Copies of personal data that {verb} removed: {report.data_exports}")
