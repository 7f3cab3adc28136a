"""The site's addresses plus django-anymail's webhooks at /mail/provider/, as bulletin/mailing/
urls.py adds them when MAILING_ESP is set."""

from django.urls import include, path

from bulletin.urls import urlpatterns as site_patterns

urlpatterns = [path("mail/provider/", include("anymail.urls")), *site_patterns]
