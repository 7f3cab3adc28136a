from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from bulletin import views

public_patterns = [
    path("", views.home, name="home"),
    path("preview/issue/<int:pk>/", views.issue_preview, name="issue_preview"),
    path("<slug:bulletin>/<slug:slug>/", views.issue_detail, name="issue"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("pdf/", include("bulletin.pdf.urls")),
    path("mail/", include("bulletin.mailing.urls")),
    path("", include((public_patterns, "bulletin"))),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
