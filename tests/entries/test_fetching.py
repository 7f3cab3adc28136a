"""What the fetcher does with the answers a cited URL can give: pages, redirects, dead ends,
slow, endless and huge bodies, TLS for a name on a vetted address, and the per-host limits."""

import threading
import time

import pytest
from django.test import override_settings

from entries.fetching import FetchDeferred, FetchFailed, fetch


def test_page_is_fetched_with_its_headers_and_body(allowed_server):
    fetched = fetch(allowed_server.url("/ok?title=Hello"))
    assert (fetched.status, fetched.reason) == (200, "OK")
    assert fetched.content_type == "text/html"
    assert b"<title>Hello</title>" in fetched.body
    assert not fetched.truncated
    assert fetched.size == len(fetched.body)
    assert fetched.peer_address == "127.0.0.1" and fetched.http_version == "HTTP/1.1"
    assert ("Server", fetched.header("server")) in fetched.headers
    assert fetched.elapsed_ms >= 0 and fetched.started_at.tzinfo is not None


def test_head_reads_no_body(allowed_server):
    fetched = fetch(allowed_server.url("/ok"), method="HEAD")
    assert fetched.status == 200 and fetched.body == b""
    assert fetched.size > 0  # from Content-Length
    assert allowed_server.requests[0][0] == "HEAD"


@pytest.mark.parametrize("path,status", [("/missing", 404), ("/gone", 410)])
def test_error_status_is_a_response_not_an_exception(allowed_server, path, status):
    assert fetch(allowed_server.url(path)).status == status


def test_redirect_is_followed_and_recorded(allowed_server):
    fetched = fetch(allowed_server.url("/moved"))
    assert fetched.status == 200
    assert fetched.final_url == allowed_server.url("/ok?title=Moved+here")
    assert fetched.redirects == [(301, fetched.final_url)]
    assert fetched.url == allowed_server.url("/moved")


def test_slow_server_is_given_up_at_the_time_cap(allowed_server):
    start = time.monotonic()
    with pytest.raises(FetchFailed, match="timed out"):
        fetch(allowed_server.url("/slow?s=5"), timeout=1)
    assert time.monotonic() - start < 2.5


def test_dripping_body_cannot_hold_the_fetch_past_the_time_cap(allowed_server):
    """A byte every 0.2 s never trips a per-read time-out; the whole fetch still ends."""
    start = time.monotonic()
    with pytest.raises(FetchFailed, match="timed out"):
        fetch(allowed_server.url("/drip"), timeout=1.5)
    assert time.monotonic() - start < 3


def test_endless_body_is_cut_at_the_size_cap(allowed_server):
    fetched = fetch(allowed_server.url("/endless"), max_bytes=100_000)
    assert fetched.truncated and len(fetched.body) == 100_000


def test_huge_body_is_cut_at_the_size_cap(allowed_server):
    start = time.monotonic()
    fetched = fetch(allowed_server.url("/huge"), max_bytes=1_000_000)
    assert fetched.truncated and len(fetched.body) == 1_000_000
    assert fetched.size == 200 * 1024 * 1024  # as announced
    assert time.monotonic() - start < 5


def test_body_under_the_cap_is_whole(allowed_server):
    fetched = fetch(allowed_server.url("/ok"), max_bytes=100_000)
    assert not fetched.truncated and fetched.body.endswith(b"</html>")


def test_closed_port_fails_as_connection_refused(link_server, settings):
    port = link_server.port
    link_server.stop()
    settings.LINK_FETCH_ALLOW = [f"127.0.0.1:{port}"]
    with pytest.raises(FetchFailed, match="refused"):
        fetch(f"http://127.0.0.1:{port}/")


def test_connection_closed_without_answer_fails_as_reset(allowed_server):
    with pytest.raises(FetchFailed, match="reset"):
        fetch(allowed_server.url("/resethead"), method="HEAD")


def test_tls_is_verified_for_the_name_on_the_vetted_address(tls_server, fake_dns_records):
    fake_dns_records["secure.test"] = ["127.0.0.1"]
    fetched = fetch(f"https://secure.test:{tls_server.port}/ok")
    assert fetched.status == 200 and fetched.peer_address == "127.0.0.1"
    assert tls_server.sni == ["secure.test"]


def test_tls_certificate_for_another_name_fails(tls_server, fake_dns_records):
    fake_dns_records["other.test"] = ["127.0.0.1"]
    with pytest.raises(FetchFailed, match="certificate is not valid"):
        fetch(f"https://other.test:{tls_server.port}/ok")
    assert tls_server.requests == []


def test_retry_after_pauses_the_host(allowed_server, settings):
    settings.LINK_FETCH_QUEUE_WAIT = 0.5
    assert fetch(allowed_server.url("/busy?after=120")).status == 429
    with pytest.raises(FetchDeferred) as deferred:
        fetch(allowed_server.url("/ok"))
    assert deferred.value.retry_after > 100
    assert len(allowed_server.requests) == 1


def test_short_retry_after_is_waited_for(allowed_server, settings):
    settings.LINK_FETCH_QUEUE_WAIT = 5
    fetch(allowed_server.url("/busy?after=1"))
    start = time.monotonic()
    assert fetch(allowed_server.url("/ok")).status == 200
    assert time.monotonic() - start > 0.5


def test_per_minute_limit_defers_the_next_fetch(allowed_server, settings):
    settings.LINK_FETCH_HOST_PER_MINUTE, settings.LINK_FETCH_QUEUE_WAIT = 2, 0.5
    fetch(allowed_server.url("/ok"))
    fetch(allowed_server.url("/ok"))
    with pytest.raises(FetchDeferred):
        fetch(allowed_server.url("/ok"))
    assert len(allowed_server.requests) == 2


def test_concurrency_limit_holds_requests_to_one_host(allowed_server, settings):
    """Three fetches at once, one slot: the server never has two requests in flight."""
    settings.LINK_FETCH_HOST_CONCURRENCY = 1
    results, start = [], time.monotonic()

    def one():
        results.append(fetch(allowed_server.url("/slow?s=0.5")).status)

    threads = [threading.Thread(target=one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200, 200, 200]
    assert time.monotonic() - start >= 1.5


def test_concurrency_limit_allows_parallel_requests_up_to_its_number(allowed_server, settings):
    settings.LINK_FETCH_HOST_CONCURRENCY = 3
    start = time.monotonic()
    threads = [
        threading.Thread(target=fetch, args=(allowed_server.url("/slow?s=0.8"),)) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed_server.requests) == 3
    assert time.monotonic() - start < 2.3


def test_waiting_for_a_busy_host_defers_within_the_time_cap(allowed_server, settings):
    settings.LINK_FETCH_HOST_CONCURRENCY = 1
    holder = threading.Thread(target=fetch, args=(allowed_server.url("/slow?s=3"),))
    holder.start()
    time.sleep(0.3)
    start = time.monotonic()
    with pytest.raises(FetchDeferred, match="busy"):
        fetch(allowed_server.url("/ok"), timeout=1.5)
    assert time.monotonic() - start < 1.5
    holder.join()
    assert len(allowed_server.requests) == 1


def test_fetch_waits_for_redis_when_it_is_down(allowed_server):
    """The limits hold across workers only through Redis: without it, nothing is fetched."""
    with (
        override_settings(REDIS_URL="redis://127.0.0.1:9/0"),  # nothing listens there
        pytest.raises(FetchDeferred, match="Redis"),
    ):
        fetch(allowed_server.url("/ok"))
    assert allowed_server.requests == []
    assert fetch(allowed_server.url("/ok")).status == 200
