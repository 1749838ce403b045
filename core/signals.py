"""What core tells the apps above it, without knowing them."""

from django.dispatch import Signal

# A signed-in person chose an interface language (core.views.language_set);
# the accounts app keeps it in their profile. Arguments: user, language.
language_chosen = Signal()
