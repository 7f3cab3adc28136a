"""Public pages of the email output, at /mail/ (and /en/mail/), and the provider webhooks."""

from django.conf import settings
from django.urls import include, path

from bulletin.mailing import views

app_name = "mailing"
urlpatterns = [
    path("subscribe/<slug:bulletin>/", views.subscribe, name="subscribe"),
    path("subscribe/<slug:bulletin>/thanks/", views.subscribe_done, name="subscribe_done"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("preferences/<str:token>/data/", views.data, name="data"),
    path("preferences/<str:token>/delete/", views.delete, name="delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
if settings.MAILING_ESP:
    # django-anymail's tracking (bounces, complaints) and inbound (mailto unsubscribe) webhooks,
    # e.g. /mail/provider/postmark/tracking/; secured by ANYMAIL_WEBHOOK_SECRET.
    urlpatterns.append(path("provider/", include("anymail.urls")))
