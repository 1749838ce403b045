"""The kinds of notification, as the apps that own them register them.

This app knows no kind by name. Each app says what it sends in its own
`notifications.py`, imported at start-up (`NotificationsConfig.ready()`
runs `autodiscover_modules("notifications")`):

- `register_kind(Kind(...))`: one kind of email (its code, label, whether a
  person may turn it off, whom it may still reach, how its object is loaded
  and its context built, its templates, its attachment);
- `register_finder(find)`: one rule of the periodic scan, `find(now)`, which
  returns the rows due at `now` (see scan.py; one finder may make several
  kinds, e.g. a session's invitation and its reminder);
- `register_digest_section(name, build, build_many=None)`: what the weekly
  digest shows of the app (see digest.py); `build_many` reads it for a batch
  of people at once.

A kind's emails are `<templates>_subject.txt`, `_body.txt` and `_body.html`
(`emails/notify/<code>_…` unless said otherwise). Contexts hold titles, dates
and links; never info-round answers, notes, clinical content or anything
about third parties.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # translated (lazily)
    # The object a row is about (`notification -> object`), or None when it
    # is gone: the row is then skipped.
    load: Callable[[Any], Any]
    # The context of the templates (`notification, object -> dict`), or None
    # when the message has nothing left to say (the session was cancelled, the
    # operator submitted meanwhile…): the row is then skipped.
    build: Callable[[Any, Any], dict | None]
    # Whom it may still reach when it is sent (`person, object -> bool`): the
    # scan chose the recipients, but they may have left since. None: anyone
    # the scan chose.
    reaches: Callable[[Any, Any], bool] | None = None
    # Invitations and cancellations cannot be turned off: missing one means
    # missing a meeting.
    mandatory: bool = False
    # A kind with a setting of its own (the digest's weekday) says how to
    # read and clear it; the others are the checkboxes of the preferences
    # (`user.notifications_off`).
    is_off: Callable[[Any], bool] | None = None
    turn_off: Callable[[Any], list[str]] | None = None  # returns the fields of the person it changed
    # A file sent with the email (`notification, object -> Attachment`, or None: none for this one).
    attachment: Callable[[Any, Any], Attachment | None] | None = None
    templates: str = ""

    @property
    def template_prefix(self) -> str:
        return self.templates or f"emails/notify/{self.code}"

    @property
    def in_preferences(self) -> bool:
        """One of the checkboxes of the preferences page."""
        return not self.mandatory and self.is_off is None

    def off_for(self, user) -> bool:
        """Whether `user` turned this kind off (never true of a mandatory kind)."""
        if self.mandatory:
            return False
        return self.code in (user.notifications_off or ()) or bool(self.is_off and self.is_off(user))


_kinds: dict[str, Kind] = {}
_finders: list[Callable] = []
_digest_sections: dict[str, Callable] = {}
_digest_batches: dict[str, Callable] = {}


def register_kind(kind: Kind) -> Kind:
    if _kinds.get(kind.code, kind) != kind:
        raise ImproperlyConfigured(f"Two notification kinds are called {kind.code!r}.")
    _kinds[kind.code] = kind
    return kind


def register_finder(find: Callable) -> Callable:
    if find not in _finders:
        _finders.append(find)
    return find


def register_digest_section(name: str, build: Callable, build_many: Callable | None = None) -> None:
    """`build(user=, now=)` returns the section's context, or None when it has nothing to say;
    it is shown through `emails/notify/_digest_<name>.{txt,html}`. `build_many(users=, now=)`,
    when given, returns {user id: context or None} for a batch of people in a
    fixed number of queries (the weekly run); without it, `build` is called per person."""
    if _digest_sections.get(name, build) != build:
        raise ImproperlyConfigured(f"Two digest sections are called {name!r}.")
    _digest_sections[name] = build
    if build_many is not None:
        _digest_batches[name] = build_many


def kind_get(code: str) -> Kind:
    """The kind of `code`; KeyError when no app registered it."""
    return _kinds[code]


def kinds() -> Iterable[Kind]:
    return _kinds.values()


def kind_choices() -> list[tuple[str, str]]:
    """The choices of `Notification.kind`: every registered kind, in the order of registration."""
    return [(kind.code, kind.label) for kind in _kinds.values()]


def preference_kinds() -> list[Kind]:
    """The kinds a person may turn on or off on the preferences page."""
    return [kind for kind in _kinds.values() if kind.in_preferences]


def finders() -> list[Callable]:
    return list(_finders)


def digest_sections() -> dict[str, Callable]:
    return dict(_digest_sections)


def digest_batch_builders() -> dict[str, Callable]:
    """{section name: build_many} of the sections that read a batch of people at once."""
    return dict(_digest_batches)
