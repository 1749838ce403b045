"""Receivers of what core tells: connected in AccountsConfig.ready()."""

from .services import user_set_language


def remember_language(sender, *, user, language, **kwargs) -> None:
    """The language a person chose in the switch is kept in their profile."""
    user_set_language(user=user, language=language)
