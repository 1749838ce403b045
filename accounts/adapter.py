from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context

from core.redirects import local_path


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join Carrefour through an invitation."""

    def is_safe_url(self, url):
        # `next` of sign-in and sign-out: a path of this site only, as everywhere
        # else (allauth would pass `home` to redirect(), which reverses it).
        return local_path(url, host=context.request.get_host()) is not None

    def is_open_for_signup(self, request):
        return False
