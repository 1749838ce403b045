from django.core.management.base import BaseCommand
from django.utils import translation

from devtools import demo
from devtools.demo_bassins import seed_bassins
from devtools.demo_clinical import seed_clinical
from devtools.demo_consultations import seed_consultations
from devtools.demo_current import seed_current_season
from devtools.demo_evaluation import seed_evaluation
from devtools.demo_helpdesk import seed_help_desk
from devtools.demo_privacy import seed_inactive_accounts
from devtools.demo_registrations import seed_registrations


class Command(BaseCommand):
    help = "Load the demo data (the Namur pilot of 2020 and its season, and the weeks around today); safe to run again."

    def handle(self, *args, **options):
        translation.activate("en")
        logins = demo.seed_foundation()
        logins += demo.seed_meetings()
        demo.seed_ritual()
        seed_evaluation()
        logins += seed_registrations()
        seed_consultations()
        logins += seed_bassins()
        logins += seed_help_desk()
        seed_current_season()
        seed_clinical()
        seed_inactive_accounts()
        demo.seed_due_now()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for email, role, operator in logins:
            self.stdout.write(f"  {email:45} {role:12} {operator}")
