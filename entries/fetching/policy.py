"""Which addresses a fetch may reach: the public internet only. Every host is turned into IP
addresses once (an IP literal, one of the old numeric forms such as 2130706433 or 0x7f.1, or a
name through the resolver), and every address is vetted; the connection is then made to a vetted
address, never to the name again (a second look-up could answer differently)."""

import ipaddress
import re
import socket
from collections.abc import Callable
from urllib.parse import SplitResult

from django.conf import settings
from django.utils.module_loading import import_string

from .errors import FetchFailed, FetchRefused

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

SCHEMES = {"http": 80, "https": 443}
# What the C library's inet_aton reads as an IPv4 address: one to four parts, each decimal,
# octal (leading 0) or hexadecimal (0x). Browsers and libraries read "http://0x7f.1/" this way.
NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)
# Ranges that ipaddress calls global but that no public site lives on.
NOT_PUBLIC = [
    ipaddress.ip_network(net)
    for net in (
        "100.64.0.0/10",  # carrier-grade NAT (shared address space)
        "192.0.0.0/24",  # IETF protocol assignments
        "198.18.0.0/15",  # benchmarking
        "::/96",  # IPv4-compatible IPv6 (deprecated) and the unspecified address
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, Teredo included
        "2001:db8::/32",  # documentation
        "fc00::/7",  # unique local
        "fec0::/10",  # site-local (deprecated)
    )
]
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def system_resolve(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for a name (the default LINK_FETCH_RESOLVER)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(f"the name {host} could not be resolved") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def resolver() -> Resolver:
    """The resolver in use: LINK_FETCH_RESOLVER names it (tests point it at a fake one)."""
    name = getattr(settings, "LINK_FETCH_RESOLVER", "")
    return import_string(name) if name else system_resolve


def forbidden_reason(address: Address) -> str:
    """Why an address may not be fetched ("" when it is a public one)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return forbidden_reason(embedded)
    checks = (
        ("is_loopback", "a loopback address"),
        ("is_unspecified", "the unspecified address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, reason in checks:
        if getattr(address, attribute):
            return reason
    if any(address in net for net in NOT_PUBLIC if net.version == address.version):
        return "an address outside the public internet"
    if not address.is_global:
        return "an address outside the public internet"
    return ""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for: mapped (::ffff:a.b.c.d), 6to4 (2002::/16) or
    NAT64 (64:ff9b::/96). The IPv4 address is what the packets reach, so it is what is vetted."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def host_addresses(host: str, port: int) -> list[Address]:
    """The addresses of a URL's host: a literal is read as it is, a name is resolved once."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    try:
        return [ipaddress.ip_address(a.split("%")[0]) for a in resolver()(host, port)]
    except ValueError as exc:
        raise FetchFailed(f"the name {host} resolved to something that is not an address") from exc


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        pass
    if NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError as exc:
            raise FetchRefused(f"{host} is not a valid address") from exc
    return None


def allowed_exception(address: Address, port: int) -> bool:
    """Whether LINK_FETCH_ALLOW names this address and port ("127.0.0.1:8123"): for the test
    suite's local servers only; empty in every other settings module."""
    shown = f"[{address}]" if address.version == 6 else str(address)
    return f"{shown}:{port}" in set(getattr(settings, "LINK_FETCH_ALLOW", []))


def _ascii_host(host: str) -> str:
    """The host as DNS and the Host header spell it (IDNA for names in other scripts)."""
    if not host:
        raise FetchRefused("the address has no host")
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise FetchRefused("the host name is not a valid international name") from exc


def vet(parts: SplitResult) -> tuple[str, int, list[Address]]:
    """The host, port and addresses of a URL that may be fetched; FetchRefused otherwise."""
    if parts.scheme not in SCHEMES:
        raise FetchRefused(f"only http and https addresses are fetched, not {parts.scheme or '?'}:")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise FetchRefused("addresses with a user name or password are not fetched")
    host = _ascii_host(parts.hostname or "")
    try:
        port = parts.port or SCHEMES[parts.scheme]
    except ValueError as exc:
        raise FetchRefused("the address has an invalid port") from exc
    addresses = host_addresses(host, port)
    if not addresses:
        raise FetchFailed(f"the name {host} has no address")
    for address in addresses:
        if allowed_exception(address, port):
            continue
        reason = forbidden_reason(address)
        if reason:
            raise FetchRefused(f"{host} is {reason} ({address})")
        if port not in set(getattr(settings, "LINK_FETCH_PORTS", [80, 443])):
            raise FetchRefused(f"port {port} is not one that links are fetched from")
    return host, port, addresses
