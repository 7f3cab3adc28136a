"""A resolver the tests control (LINK_FETCH_RESOLVER): DNS is the one thing the link tests fake,
to see what the fetcher does with names that resolve to forbidden addresses."""

from entries.fetching import FetchFailed

SYSTEM = {"localhost": ["127.0.0.1", "::1"]}  # what /etc/hosts says
RECORDS: dict[str, list[str]] = dict(SYSTEM)


def resolve(host: str, port: int) -> list[str]:
    """The addresses RECORDS gives the name (a test's own), or a failed look-up: a name no test
    recorded is not looked up anywhere."""
    if host not in RECORDS:
        raise FetchFailed(f"the name {host} could not be resolved")
    return list(RECORDS[host])


def reset() -> None:
    RECORDS.clear()
    RECORDS.update(SYSTEM)
