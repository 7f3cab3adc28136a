from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from bulletin import health, views
from bulletin.caching import public_page
from bulletin.feeds import BulletinFeed
from bulletin.sitemaps import SITEMAPS
from people.admin import my_notifications

public_patterns = [
    path("", views.home, name="home"),
    path("archive/", views.archive, name="archive"),
    path("search/", views.search, name="search"),
    path("entries/<int:entry_id>/", views.entry_detail, name="entry_short"),
    path("entries/<int:entry_id>/<str:slug>/", views.entry_detail, name="entry"),
    path("kinds/<slug:kind>/", views.entries_by_kind, name="kind"),
    path("tags/<path:name>/", views.entries_by_tag, name="tag"),
    path("jurisdictions/<slug:code>/", views.entries_by_jurisdiction, name="jurisdiction"),
    path("authors/<str:slug>/", views.author_detail, name="author"),
    path("feeds/<slug:bulletin>/", BulletinFeed(), name="feed"),
    path("<slug:bulletin>/<slug:slug>/", views.issue_detail, name="issue"),
]

urlpatterns = [
    path(
        "admin/my-notifications/",
        admin.site.admin_view(my_notifications),
        name="my_notifications",
    ),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("pdf/", include("bulletin.pdf.urls")),
    path("preview/issue/<int:pk>/", views.issue_preview, name="issue_preview"),
    path("cards/<slug:bulletin>/<slug:slug>/<str:key>.png", views.issue_card, name="issue_card"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("brand/mark", views.brand_mark, name="brand_mark"),
    path("brand/colour.css", views.brand_colour, name="brand_colour"),
    path("favicon.ico", views.favicon_ico, name="favicon_ico"),
    path("favicon.svg", views.favicon_svg, name="favicon_svg"),
    path("apple-touch-icon.png", views.apple_touch_icon, name="apple_touch_icon"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(
        "sitemap.xml",
        public_page(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    *i18n_patterns(
        path("", include((public_patterns, "bulletin"))),
        path("mail/", include("bulletin.mailing.urls")),
        prefix_default_language=False,
    ),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
