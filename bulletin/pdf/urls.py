import re

from django.conf import settings
from django.urls import path, re_path

from bulletin.pdf import views

app_name = "pdf"
# The languages of the settings only: "ai-monthly/2024-09/<key>.pdf" is a download, not the
# lasting address of a language "ai-monthly".
LANGUAGES = "|".join(re.escape(code) for code, _label in settings.LANGUAGES)
urlpatterns = [
    path("", views.pdf_list, name="list"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("link/<str:token>/", views.signed_download, name="signed"),
    re_path(
        r"^(?P<bulletin>[-\w]+)/(?P<slug>[-\w]+)\.pdf$",
        views.latest,
        name="latest",
    ),
    # Before the download's pattern, which has as many parts (a bulletin named "en" would
    # already be hidden by the English pages' prefix).
    re_path(
        rf"^(?P<language>{LANGUAGES})/(?P<bulletin>[-\w]+)/(?P<slug>[-\w]+)\.pdf$",
        views.edition_latest,
        name="edition_latest",
    ),
    re_path(
        r"^(?P<bulletin>[-\w]+)/(?P<slug>[-\w]+)/(?P<key>[0-9a-f]{16})\.pdf$",
        views.download,
        name="download",
    ),
    re_path(
        r"^(?P<language>[a-z]{2,3}(?:-[a-z]+)?)/(?P<bulletin>[-\w]+)/(?P<slug>[-\w]+)/"
        r"(?P<key>[0-9a-f]{16})\.pdf$",
        views.edition_download,
        name="edition_download",
    ),
]
