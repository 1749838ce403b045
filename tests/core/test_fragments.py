"""Fragment keys change with the data (stamps) and with the code that renders them (release)."""

import pytest
from django.utils import translation

from core import fragments


def test_a_deploy_that_changes_a_template_gives_new_keys(tmp_path, settings):
    page = tmp_path / "templates" / "page.html"
    page.parent.mkdir()
    page.write_text("<p>{{ name }}</p>")
    settings.BASE_DIR = tmp_path
    before = fragments.release.__wrapped__()
    assert fragments.release.__wrapped__() == before  # the same files, the same token
    page.write_text("<p>{{ name }} !</p>")
    assert fragments.release.__wrapped__() != before


@pytest.mark.django_db
def test_the_key_holds_the_release_the_stamps_and_the_language():
    with translation.override("fr"):
        key = fragments.fragment_key("page", ("series:1",), "coordinator")
    name, release, stamp, language, role = key.split(":")
    assert (name, release, language, role) == ("page", fragments.release(), "fr", "coordinator") and stamp
    fragments.bump("series:1")
    with translation.override("fr"):
        assert fragments.fragment_key("page", ("series:1",), "coordinator") != key
