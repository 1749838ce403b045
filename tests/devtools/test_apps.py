"""Where devtools is installed (devtools/apps.py): under the developer's,
the tests' and the benchmark's settings, never under the servers' own
(config.settings.base); and no app of the portal imports it."""

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# What a server's environment holds at the least (see .ci/run).
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "SECRET_KEY": "production-like-" + "k" * 50,
    "ALLOWED_HOSTS": "carrefour.example",
    "DEBUG": "0",
}
# Loaded as gunicorn, the Celery worker and beat load it: the apps, the tasks
# found in them, the commands, the periodic jobs.
PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.management import get_commands
from config.celery_app import app
app.loader.import_default_modules()
print(json.dumps({
    "apps": settings.INSTALLED_APPS,
    "commands": sorted(get_commands()),
    "tasks": sorted(app.tasks),
    "beat": sorted(job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()),
}))
"""


def test_the_production_settings_never_install_devtools():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=PRODUCTION_ENV, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert "devtools" not in found["apps"]
    assert not {"seed_demo", "seed_bench", "bench"} & set(found["commands"])
    # The worker and beat of `make run` use these settings: every periodic job finds its task without devtools.
    assert found["beat"] and set(found["beat"]) <= set(found["tasks"])


def test_the_developer_test_and_benchmark_settings_install_devtools():
    for module in ("config.settings.local", "config.settings.test", "devtools.bench.settings"):
        assert "devtools" in importlib.import_module(module).INSTALLED_APPS, module
    assert "devtools" in settings.INSTALLED_APPS


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def _portal_modules():
    """Every Python file of the portal but devtools' own and the tests'."""
    for top in sorted(ROOT.iterdir()):
        if top.name in {"devtools", "tests", "node_modules", "var", "staticfiles"} or top.name.startswith("."):
            continue
        if top.suffix == ".py":
            yield top
        elif top.is_dir():
            yield from top.rglob("*.py")


def test_no_app_of_the_portal_imports_devtools():
    importers = [
        str(path.relative_to(ROOT))
        for path in _portal_modules()
        if any(name == "devtools" or name.startswith("devtools.") for name in _imported(path))
    ]
    assert importers == []
