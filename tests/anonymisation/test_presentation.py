import html

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from anonymisation.findings import Finding, finding
from anonymisation.guard import check
from anonymisation.presentation import findings_context, highlight


def test_each_flagged_passage_is_marked_and_the_rest_escaped():
    text = "<b>Jean</b> & 0475 12 34 56"
    found = [finding("name", 3, 7), finding("phone", 14, 27)]
    assert highlight(text, found) == "&lt;b&gt;<mark>Jean</mark>&lt;/b&gt; &amp; <mark>0475 12 34 56</mark>"


def test_a_hostile_passage_is_escaped_inside_its_mark():
    text = 'Nom : <script>alert("x")</script>'
    assert highlight(text, [finding("name", 6, len(text))]) == (
        "Nom : <mark>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</mark>"
    )


def test_overlapping_findings_keep_the_first_mark():
    assert highlight("abcdef", [finding("name", 1, 4), finding("date", 2, 5)]) == "a<mark>bcd</mark>ef"


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=4))
def test_the_highlighted_text_is_the_text_escaped_with_marks_only(text, bounds):
    found = [Finding("name", min(a, b, len(text)), min(max(a, b), len(text)), "") for a, b in bounds]
    shown = str(highlight(text, found))
    assert html.unescape(shown.replace("<mark>", "").replace("</mark>", "")) == text
    assert shown.replace("<mark>", "").replace("</mark>", "").count("<") == 0


@pytest.mark.django_db
def test_the_include_shows_the_passages_highlighted_and_explained_in_french():
    text = "Jean Dupont habite <i>rue Haute 12</i>."
    with translation.override("fr"):
        page = render_to_string("anonymisation/findings.html", {"guard": findings_context(text, check(text))})
    assert "<mark>Jean Dupont</mark>" in page
    assert "<mark>rue Haute 12</mark>" in page
    assert "&lt;i&gt;" in page and "<i>" not in page
    assert "Reformulez les passages surlignés" in page
    assert "écrivez « Mme X. » ou des initiales" in page


def test_the_include_shows_nothing_without_findings():
    assert render_to_string("anonymisation/findings.html", {"guard": findings_context("Mme X.", [])}).strip() == ""
