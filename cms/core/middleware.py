from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class PreferredLanguageMiddleware(MiddlewareMixin):
    """Simplified Chinese unless the user picked another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a teacher whose
    phone is set to English would land on an English site. The platform's language is
    Chinese; English is an explicit choice, remembered in the language cookie.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than the limit before anything reads it: a Chinese 413 page.

    Runs after the language is chosen and before the CSRF check, the first reader of the body.
    The Wagtail admin (documents, videos) has its own, larger limit. A body with no declared
    length is capped by the proxy (README) and by Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_MAX_BYTES_ADMIN if request.path.startswith("/admin/") else settings.REQUEST_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            html = render_to_string("413.html", {"limit_mb": limit // (1024 * 1024)})
            response = HttpResponse(html, status=413)
            response["Connection"] = "close"  # the client may still be sending; do not reuse the socket
            return response
        return self.get_response(request)
