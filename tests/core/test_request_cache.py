from django.utils.functional import SimpleLazyObject

from core.request_cache import cached_on, forget


class Person:
    pass


def test_a_fact_is_computed_once_until_forgotten():
    person, calls = Person(), []

    def compute():
        calls.append(1)
        return {len(calls)}

    assert cached_on(person, "series", compute) == {1}
    assert cached_on(person, "series", compute) == {1}
    forget(person)
    assert cached_on(person, "series", compute) == {2}
    forget(person)
    forget(person)  # forgetting twice is harmless


def test_the_lazy_request_user_and_the_user_behind_it_share_their_facts():
    person = Person()
    lazy = SimpleLazyObject(lambda: person)
    cached_on(lazy, "roles", lambda: {7: "member"})
    assert cached_on(person, "roles", lambda: {}) == {7: "member"}
    forget(lazy)
    assert cached_on(person, "roles", lambda: {}) == {}
