"""Public pages: subscribe, confirm, preferences, unsubscribe (one-click), data and erasure.

Pages reached by a signed link send no Referer to other sites (the link would leak; same-origin
keeps the Origin header the CSRF check needs) and are not indexed; a forged, tampered or
expired link gets a page that says so, and changes nothing.
"""

from functools import wraps

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from bulletin.addresses import client_ip, client_limit_key
from bulletin.mailing import selectors
from bulletin.mailing.forms import PreferencesForm, SubscribeForm, preferences_consent_text
from bulletin.mailing.models import Consent
from bulletin.mailing.services import subscribers as services
from bulletin.mailing.throttle import subscribe_allowed
from bulletin.mailing.tokens import (
    TokenError,
    read_confirm_token,
    read_manage_token,
    read_unsubscribe_token,
)
from bulletin.models import Bulletin


def _origin(request, route=Consent.Route.WEB) -> services.Origin:
    return services.Origin(
        route=route,
        ip=client_ip(request) or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def private(view):
    """For pages reached by a signed link: no caching, no Referer to other sites, no indexing,
    and a clear error page for a bad link."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except TokenError as exc:
            response = render(
                request, "mailing/link_error.html", {"reason": exc.reason}, status=400
            )
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return never_cache(wrapper)


@require_http_methods(["GET", "POST"])
@never_cache
def subscribe(request, bulletin):
    bulletin = get_object_or_404(Bulletin, slug=bulletin)
    initial = {"language": translation.get_language()}
    form = SubscribeForm(request.POST or None, bulletin=bulletin, initial=initial)
    if request.method == "POST":
        if not subscribe_allowed(client_limit_key(request)):
            return render(request, "mailing/rate_limited.html", {"bulletin": bulletin}, status=429)
        if form.is_bot:  # answer as if it worked; do nothing
            return redirect("mailing:subscribe_done", bulletin=bulletin.slug)
        if form.is_valid():
            data = form.cleaned_data
            services.subscription_request(
                bulletin=bulletin,
                email=data["email"],
                name=data["name"],
                organisation=data["organisation"],
                language=data["language"],
                consent_text=form.consent_text,
                origin=_origin(request),
            )
            return redirect("mailing:subscribe_done", bulletin=bulletin.slug)
    return render(request, "mailing/subscribe.html", {"bulletin": bulletin, "form": form})


@require_GET
def subscribe_done(request, bulletin):
    bulletin = get_object_or_404(Bulletin, slug=bulletin)
    return render(request, "mailing/subscribe_done.html", {"bulletin": bulletin})


@require_http_methods(["GET", "POST"])
@private
def confirm(request, token):
    """GET shows a button (mail scanners follow links); the POST confirms."""
    subscription = read_confirm_token(token)
    context = {"subscription": subscription, "bulletin": subscription.bulletin}
    if request.method == "GET":
        return render(request, "mailing/confirm.html", context)
    if not services.subscription_confirm(subscription=subscription, origin=_origin(request)):
        raise TokenError("invalid")
    return render(request, "mailing/confirmed.html", context)


@require_http_methods(["GET", "POST"])
@private
def preferences(request, token):
    subscriber = read_manage_token(token)
    form = PreferencesForm(request.POST or None, initial=selectors.preferences_initial(subscriber))
    saved = False
    if request.method == "POST" and form.is_valid():
        services.subscriber_update_preferences(
            subscriber=subscriber,
            consent_text=preferences_consent_text(),
            origin=_origin(request),
            **form.cleaned_data,
        )
        saved = True
    context = {"form": form, "subscriber": subscriber, "token": token, "saved": saved}
    return render(request, "mailing/preferences.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@private
def unsubscribe(request, token):
    """RFC 8058: a POST (List-Unsubscribe=One-Click from a mail client, or the button on this
    page) unsubscribes at once, without cookie or CSRF token: the signed link is the proof.
    A GET only shows the button, since mail scanners follow links."""
    target = read_unsubscribe_token(token)
    bulletin = get_object_or_404(Bulletin, pk=target.bulletin_id)
    context = {"bulletin": bulletin, "subscriber": target.subscriber, "token": token}
    if request.method == "GET":
        return render(request, "mailing/unsubscribe.html", context)
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    services.subscription_unsubscribe(
        subscriber=target.subscriber,
        bulletin_id=target.bulletin_id,
        origin=_origin(request, Consent.Route.EMAIL if one_click else Consent.Route.WEB),
    )
    return render(request, "mailing/unsubscribed.html", context)


@require_GET
@private
def data(request, token):
    """Everything kept about the subscriber, as a JSON download."""
    subscriber = read_manage_token(token)
    response = JsonResponse(
        selectors.subscriber_data(subscriber),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = 'attachment; filename="my-subscription-data.json"'
    return response


@require_http_methods(["GET", "POST"])
@private
def delete(request, token):
    subscriber = read_manage_token(token)
    if request.method == "GET":
        return render(request, "mailing/delete.html", {"subscriber": subscriber, "token": token})
    services.subscriber_delete(subscriber=subscriber, origin=_origin(request, Consent.Route.EMAIL))
    return render(request, "mailing/deleted.html", {})
