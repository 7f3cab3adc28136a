"""Language: public pages by URL (/ is Chinese, /en/ English); the admin by the browser."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.views.defaults import bad_request


class BulletinLocaleMiddleware(LocaleMiddleware):
    BROWSER_LANGUAGE_PATHS = ("/admin/",)

    def process_request(self, request):
        if request.path_info.startswith(self.BROWSER_LANGUAGE_PATHS):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


def reject_nul_bytes(get_response):
    """A NUL byte in an address or query can never be valid: answer 400 before any view (the
    database would refuse it with an error)."""

    def middleware(request):
        values = [request.path, *request.GET.keys()]
        values += [value for values_ in request.GET.lists() for value in values_[1]]
        if any("\x00" in value for value in values):
            # Before the locale middleware: the page speaks the language its address names.
            language = translation.get_language_from_path(request.path_info)
            with translation.override(language or settings.LANGUAGE_CODE):
                return bad_request(request, SuspiciousOperation("NUL byte in the address"))
        return get_response(request)

    return middleware


def admin_csp(get_response):
    """The admin's templates set inline style attributes: allow them there and only there."""

    def middleware(request):
        response = get_response(request)
        if request.path_info.startswith("/admin/"):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response

    return middleware
