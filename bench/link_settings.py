"""Settings of bench/link_capture.py's workers: the shipped settings, with the bench's local page
server allowed (LINK_FETCH_ALLOW) and its made-up host names resolved to it."""

from bulletin.settings.base import *  # noqa: F403
from bulletin.settings.base import env

LINK_FETCH_ALLOW = env.list("LINK_FETCH_ALLOW", default=[])
LINK_FETCH_RESOLVER = "bench.link_settings.resolve"
HOSTS_SUFFIX = ".bench-links.test"


def resolve(host: str, port: int) -> list[str]:
    """Every name under .bench-links.test is the local page server; no other name resolves (the
    bench never reaches the network)."""
    from entries.fetching import FetchFailed  # noqa: PLC0415 - settings load before the apps

    if not host.endswith(HOSTS_SUFFIX):
        raise FetchFailed(f"the name {host} could not be resolved")
    return ["127.0.0.1"]
