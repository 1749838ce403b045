from django.utils import translation


class UserLanguageMiddleware:
    """Speak to a signed-in person in the language of their profile.

    LocaleMiddleware has already chosen from the cookie and the browser; a
    signed-in person's stated preference wins over both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
