"""Load the benchmark's large network (devtools.bench.seed), once: a database
that holds the same dataset version is kept as it is."""

import io
import logging
import time

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import translation

from devtools.bench import seed


class Command(BaseCommand):
    help = "Load the large network of the benchmark (cached: nothing is done when the database holds it already)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Empty the database and seed it again.")
        parser.add_argument("--tiny", action="store_true", help="The same shape with a few items (tests).")
        parser.add_argument("--history", action="store_true", help="The same network over twenty years, not five.")

    def handle(self, *args, force=False, tiny=False, history=False, **options):
        size = seed.TINY if tiny else seed.HISTORY if history else seed.LARGE
        name = "tiny" if tiny else "history" if history else "large"
        version = seed.dataset_version(size)
        stored = seed.stored_version()
        if stored == version and not force:
            self.stdout.write(f"Benchmark dataset {version} already loaded: kept.")
            return
        started = time.monotonic()
        if stored or force:
            self.stdout.write(f"Dataset {stored or '(none)'} → {version}: emptying the database first.")
            call_command("flush", interactive=False, verbosity=0)
        translation.activate("en")
        logging.getLogger("carrefour.audit").setLevel(logging.WARNING)  # thousands of seed writes
        self.stdout.write("Demo data…")
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        self.stdout.write(f"Large network ({name})…")
        seed.bench_seed(size=size, write=self.stdout.write, force=True)
        # The seed writes in bulk, which drops no fragment stamp: nothing cached
        # from a former dataset may be served.
        cache.clear()
        if connection.vendor == "postgresql":
            # Fresh statistics, as a database in use has them (autovacuum would, later).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Benchmark dataset {version} loaded in {time.monotonic() - started:.0f} s.")
        )
