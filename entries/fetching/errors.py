"""Why a fetch did not happen: refused by our policy, or failed on the network."""


class FetchError(Exception):
    """A fetch that gave no response; `reason` is short and readable by staff."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class FetchRefused(FetchError):
    """Our policy forbids it: a scheme, an address range, a port, credentials, too many
    redirects. Trying again will not help."""


class FetchFailed(FetchError):
    """The network did not give a response: DNS, connection, TLS, time-out, reset."""


class FetchDeferred(FetchFailed):
    """The host asked us to wait (Retry-After) longer than this fetch may: try again later."""

    def __init__(self, reason: str, *, retry_after: float):
        super().__init__(reason)
        self.retry_after = retry_after
