"""Where an agenda item or a cooperation need of a series came from, when another app put it
there (consultations relaunches its items "dans d'autres instances"). That app registers a
finder; meetings knows nothing of it. A finder returns only the origins the person may see:
a link back never shows where the source is private to them."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    title: str  # the agenda item's or the need's title
    label: str  # where it comes from, e.g. "the synthesis of “Votre opinion compte ! #1”"
    url: str


_finders: list[Callable[..., list[Origin]]] = []


def register_origin_finder(finder: Callable[..., list[Origin]]) -> None:
    """`finder(user, *, session=None, need=None)` → the origins of that session's agenda items
    or of that need the person may see, in a fixed number of queries."""
    if finder not in _finders:
        _finders.append(finder)


def origins_of(user, *, session=None, need=None) -> list[Origin]:
    return [origin for finder in _finders for origin in finder(user, session=session, need=need)]
