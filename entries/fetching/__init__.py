"""Fetching the pages entries cite, safely: only the public internet, every hop vetted, size and
time capped, each host asked politely. `fetch` is the one way this project reaches a URL."""

from .client import USER_AGENT, Fetched, fetch
from .errors import FetchDeferred, FetchError, FetchFailed, FetchRefused
from .limits import host_slot, hosts_forget

__all__ = [
    "USER_AGENT",
    "FetchDeferred",
    "FetchError",
    "FetchFailed",
    "FetchRefused",
    "Fetched",
    "fetch",
    "host_slot",
    "hosts_forget",
]
