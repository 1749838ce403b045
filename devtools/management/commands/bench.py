"""Measure the portal on the benchmark's large network (see devtools.bench.runner)."""

from django.core.management.base import BaseCommand, CommandError

from devtools.bench import runner


class Command(BaseCommand):
    help = "Serve the portal with gunicorn on 127.0.0.1, drive its pages with wrk, time the background work."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=5, help="Seconds of load per page and concurrency (5).")
        parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: one per core).")
        parser.add_argument(
            "--history",
            action="store_true",
            help="On the twenty-year dataset: the ratios of some pages to the last five-year run.",
        )

    def handle(self, *args, seconds=5, workers=0, history=False, **options):
        if not 1 <= seconds <= 60:
            raise CommandError("--seconds must be between 1 and 60: the load is bounded.")
        if history:
            try:
                found = runner.run_history(seconds=seconds, workers=workers or None, write=self.stdout.write)
            except runner.BenchError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(runner.history_table(found))
            return
        try:
            result = runner.run(seconds=seconds, workers=workers or None, write=self.stdout.write)
        except runner.BenchError as exc:
            raise CommandError(str(exc)) from exc
        m = result["machine"]
        self.stdout.write("")
        self.stdout.write(
            f"Carrefour benchmark, {result['date']}, {m['cpu']} ({m['cores']} cores, {m['memory']}),"
            f" {m['database']}, gunicorn ×{m['gunicorn_workers']}"
        )
        self.stdout.write(runner.table(result))
        self.stdout.write(f"\nFigures: {runner.OUT / 'results.json'}")
