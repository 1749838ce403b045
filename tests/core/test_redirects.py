import pytest

from core.redirects import local_path

HOST = "carrefour.example"


@pytest.mark.parametrize(
    "url",
    [
        '"><img src=x>',
        "//evil.example",
        "https://evil.example/",
        "https://carrefour.example/series/",
        "javascript:alert(1)",
        "/\\evil.example",
        "\t//evil.example",
        "",
        "/" + "x" * 10_000,
        "/a\x00b",
        "/a\r\nSet-Cookie: x=1",
        "home",
        "core:home",
        "series/",
        "/a b",
    ],
)
def test_anything_but_a_path_of_the_site_is_refused(url):
    assert local_path(url, host=HOST) is None


def test_a_path_keeps_its_query_and_loses_its_fragment():
    assert local_path("/series/?page=2&q=crise#top", host=HOST) == "/series/?page=2&q=crise"
    assert local_path("/%0d%0aSet-Cookie:x=1", host=HOST) == "/%0d%0aSet-Cookie:x=1"
