"""Language selection: Dutch unless the user chose English with the language switch."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import check_for_language


class ChosenLanguageMiddleware:
    """Like Django's LocaleMiddleware, but without reading the browser's Accept-Language.

    The interface is Dutch by default (a municipal tool, also on English-language laptops);
    only the language switch (a cookie set by Django's set_language view) changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = (
            chosen if chosen in supported and check_for_language(chosen) else settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
