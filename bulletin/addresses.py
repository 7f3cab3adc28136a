"""The client's address behind the site's trusted proxies, and the key every per-address limit
(sign-in, search, subscribe) counts under."""

import ipaddress

from django.conf import settings

# One IPv6 customer is given a whole /64 (RFC 6177 and common practice), and can rotate through
# it at will: limits count the /64, as they count one IPv4 address.
IPV6_PREFIX = 64


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the entry PROXY_COUNT proxies from the right of
    X-Forwarded-For when the site runs behind that many trusted proxies."""
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def limit_key(address: str) -> str:
    """What a per-address limit counts: an IPv4 address, or the /64 of an IPv6 one (written as
    the network's first address, so that it still fits an IP address column)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if parsed.version == 6 and parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return str(parsed)


def client_limit_key(request) -> str:
    """The key of this request's client for per-address limits (django-axes calls this too)."""
    return limit_key(client_ip(request))
