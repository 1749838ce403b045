"""Strings of Django and allauth that Carrefour words differently.

Listing them here puts them in Carrefour's catalogue, which comes first:
the interface then says "adresse e-mail" everywhere, as Belgian offices do.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = [
    gettext_noop("Enter a valid email address."),
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Password"),
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Forgot your password?"),
    gettext_noop("Remember Me"),
]
