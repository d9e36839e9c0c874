"""Language selection: Indonesian unless the user chose English (Indonesian is the default).

Django's LocaleMiddleware would follow the browser's Accept-Language, and many Indonesian officers' browsers
are set to English; so pages use the language the user picked (the cookie set by the language switch) or
Indonesian. The API still honours Accept-Language, since machines ask for what they need.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SentraLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
