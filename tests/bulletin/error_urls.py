"""The site's addresses plus three that fail, for the error page tests."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from bulletin.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("a bad request")


urlpatterns = [
    *i18n_patterns(
        path("boom/", boom),
        path("forbidden/", forbidden),
        path("bad/", bad),
        prefix_default_language=False,
    ),
    *site_patterns,
]
