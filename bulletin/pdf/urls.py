from django.urls import path, re_path

from bulletin.pdf import views

app_name = "pdf"
urlpatterns = [
    path("", views.pdf_list, name="list"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("link/<str:token>/", views.signed_download, name="signed"),
    re_path(
        r"^(?P<bulletin>[-\w]+)/(?P<slug>[-\w]+)\.pdf$",
        views.latest,
        name="latest",
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
