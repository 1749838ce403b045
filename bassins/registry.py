"""What other apps add to a bassin's état des lieux, without bassins importing them.

An app that sits on bassins (the help desk…) registers a section in its
AppConfig.ready(): a name, the template that shows it and a function
`build(bassin) -> dict | None` that reads its figures in a fixed number of
queries (None: nothing to show). The état des lieux shows every registered
section after its own, in the order of registration.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class StateSection:
    name: str
    template: str
    build: Callable


@dataclass(frozen=True)
class BuiltSection:
    name: str
    template: str
    data: dict


_sections: dict[str, StateSection] = {}


def register_state_section(name: str, template: str, build: Callable) -> None:
    section = StateSection(name, template, build)
    if _sections.get(name, section) != section:
        raise ImproperlyConfigured(f"Two état des lieux sections are called {name!r}.")
    _sections[name] = section


def state_sections(bassin) -> list[BuiltSection]:
    """The registered sections of the bassin's état des lieux that have something to show."""
    built = []
    for section in _sections.values():
        data = section.build(bassin)
        if data is not None:
            built.append(BuiltSection(section.name, section.template, data))
    return built


@dataclass(frozen=True)
class LinkSource:
    """A kind of link of the map that another app records (help-desk collaboration…).

    `find(user, operator_ids, since, until)` returns (operator a, operator b,
    evidence label, evidence url) for the links among `operator_ids` over the
    period that the person may see, in a fixed number of queries."""

    kind: str
    label: str
    find: Callable
    # The cache scope (core.fragments) the app drops on every write of what
    # `find` reads: the map keeps the links it computed until then.
    scope: str = ""


_link_sources: dict[str, LinkSource] = {}


def register_link_source(kind: str, label: str, find: Callable, *, scope: str) -> None:
    source = LinkSource(kind, label, find, scope)
    if _link_sources.get(kind, source) != source:
        raise ImproperlyConfigured(f"Two map link sources are called {kind!r}.")
    _link_sources[kind] = source


def link_sources() -> dict[str, LinkSource]:
    return dict(_link_sources)
