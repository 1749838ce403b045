"""Facts about a person computed once per request and kept on the user object.

A request loads its user once; what the permission checks read about that
person (their operators, the series they coordinate…) is read once too and
kept here, under one attribute, until the request ends or `forget` is called
(after a write that changes those facts, or in a test between two steps).

The attribute is read and set through getattr/setattr, never through
`__dict__`: `request.user` is a lazy proxy, and only attribute access reaches
the user object behind it, where the rules' predicates look too."""

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

ATTRIBUTE = "_carrefour_request_cache"


def cached_on(user, key: str, compute: Callable[[], T]) -> T:
    """`compute()`, computed once per user object and `key`."""
    cache = getattr(user, ATTRIBUTE, None)
    if cache is None:
        cache = {}
        setattr(user, ATTRIBUTE, cache)
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget(user) -> None:
    """Drop every fact kept on `user`: the next read computes them again."""
    if hasattr(user, ATTRIBUTE):
        delattr(user, ATTRIBUTE)
