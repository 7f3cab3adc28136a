"""A resolver the tests control (LINK_FETCH_RESOLVER): DNS is the one thing the link tests fake,
to see what the fetcher does with names that resolve to forbidden addresses."""

from entries.fetching import FetchFailed

RECORDS: dict[str, list[str]] = {}


def resolve(host: str, port: int) -> list[str]:
    """The addresses RECORDS gives the name (a test's own), or a failed look-up."""
    if host not in RECORDS:
        raise FetchFailed(f"the name {host} could not be resolved")
    return list(RECORDS[host])
