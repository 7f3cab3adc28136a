"""The SSRF suite: every way of making the fetcher reach an address that is not on the public
internet, tried directly and through a redirect from an allowed server, is refused before a
connection is made. The policy runs as in production (LINK_FETCH_ALLOW empty) unless a test
allows its one local server."""

import ipaddress
from urllib.parse import urlsplit

import pytest

from entries.fetching import FetchFailed, FetchRefused, fetch
from entries.fetching.policy import forbidden_reason, vet

FORBIDDEN_URLS = {
    "loopback": "http://127.0.0.1/",
    "loopback-other": "http://127.8.9.10/",
    "localhost-name": "http://localhost/",
    "ipv6-loopback": "http://[::1]/",
    "mapped-loopback": "http://[::ffff:127.0.0.1]/",
    "mapped-loopback-hex": "http://[::ffff:7f00:1]/",
    "compatible-loopback": "http://[::127.0.0.1]/",
    "mapped-metadata": "http://[::ffff:169.254.169.254]/",
    "nat64-private": "http://[64:ff9b::10.0.0.1]/",
    "6to4-loopback": "http://[2002:7f00:1::]/",
    "6to4-private": "http://[2002:c0a8:101::1]/",
    "metadata": "http://169.254.169.254/latest/meta-data/",
    "link-local": "http://169.254.1.1/",
    "ipv6-link-local": "http://[fe80::1]/",
    "private-10": "http://10.0.0.1/",
    "private-172": "http://172.16.5.4/",
    "private-192": "http://192.168.1.1/",
    "ipv6-unique-local": "http://[fd00::1]/",
    "cgnat": "http://100.64.0.1/",
    "cgnat-top": "http://100.127.255.254/",
    "multicast": "http://224.0.0.1/",
    "multicast-global-scope": "http://233.252.0.1/",
    "ipv6-multicast": "http://[ff02::1]/",
    "reserved": "http://240.0.0.1/",
    "broadcast": "http://255.255.255.255/",
    "unspecified": "http://0.0.0.0/",
    "ipv6-unspecified": "http://[::]/",
    "this-network": "http://0.1.2.3/",
    "benchmarking": "http://198.18.0.1/",
    "documentation": "http://192.0.2.1/",
    "ipv6-documentation": "http://[2001:db8::1]/",
    "teredo": "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    "decimal": "http://2130706433/",
    "decimal-metadata": "http://2852039166/",
    "octal": "http://0177.0.0.1/",
    "octal-whole": "http://017700000001/",
    "hex": "http://0x7f.1/",
    "hex-whole": "http://0x7f000001/",
    "hex-dotted": "http://0x7f.0x0.0x0.0x1/",
    "short-form": "http://127.1/",
    "mixed-forms": "http://0x7f.0.01/",
    "trailing-dot": "http://127.0.0.1./",
    "private-with-port": "http://10.1.2.3:8080/",
}

BAD_SCHEMES = {
    "file": "file:///etc/passwd",
    "ftp": "ftp://example.org/file",
    "gopher": "gopher://example.org:70/_stats",
    "dict": "dict://example.org:11211/stat",
    "javascript": "javascript:alert(1)",
    "data": "data:text/html,<p>hi</p>",
    "no-scheme": "//example.org/",
}


@pytest.mark.parametrize("url", FORBIDDEN_URLS.values(), ids=FORBIDDEN_URLS.keys())
def test_forbidden_address_is_refused(url, no_exceptions):
    with pytest.raises(FetchRefused) as refused:
        fetch(url)
    assert "address" in refused.value.reason or "is not" in refused.value.reason


@pytest.mark.parametrize("url", BAD_SCHEMES.values(), ids=BAD_SCHEMES.keys())
def test_scheme_other_than_http_is_refused(url, no_exceptions):
    with pytest.raises(FetchRefused, match="only http and https"):
        fetch(url)


@pytest.mark.parametrize("url", ["http://user:pw@example.org/", "http://user@example.org/"])
def test_credentials_in_the_address_are_refused(url, no_exceptions):
    with pytest.raises(FetchRefused, match="user name or password"):
        fetch(url)


def test_running_local_server_is_refused_without_allow_list(link_server, no_exceptions):
    """The server answers (an allow-listed fetch gets its page), yet the production policy
    never connects to it."""
    with pytest.raises(FetchRefused, match="loopback"):
        fetch(link_server.url("/ok"))
    assert link_server.requests == []
    no_exceptions.LINK_FETCH_ALLOW = [link_server.netloc]
    assert fetch(link_server.url("/ok")).status == 200
    assert len(link_server.requests) == 1


def test_allow_list_names_one_port_only(link_server, settings):
    settings.LINK_FETCH_ALLOW = [f"127.0.0.1:{link_server.port + 1}"]
    with pytest.raises(FetchRefused, match="loopback"):
        fetch(link_server.url("/ok"))


PRIVATE_ANSWERS = {
    "loopback": ["127.0.0.1"],
    "metadata": ["169.254.169.254"],
    "private": ["10.20.30.40"],
    "cgnat": ["100.100.100.100"],
    "ipv6-loopback": ["::1"],
    "mapped": ["::ffff:192.168.0.1"],
    "ipv6-unique-local": ["fd12:3456::1"],
    "public-and-private": ["93.184.215.14", "10.0.0.1"],
}


@pytest.mark.parametrize("answer", PRIVATE_ANSWERS.values(), ids=PRIVATE_ANSWERS.keys())
def test_name_resolving_to_forbidden_address_is_refused(answer, fake_dns_records, no_exceptions):
    fake_dns_records["site.test"] = answer
    with pytest.raises(FetchRefused, match="site.test is"):
        fetch("http://site.test/page")


def test_name_is_resolved_once_and_the_vetted_address_is_used(
    allowed_server, fake_dns_records, monkeypatch
):
    """A resolver that answers differently the second time (DNS rebinding) is asked once per
    hop: the connection goes to the address that was vetted."""
    answers = [["127.0.0.1"], ["10.0.0.1"]]
    asked = []

    def rebinding(host, port):
        asked.append(host)
        return answers[min(len(asked) - 1, 1)]

    monkeypatch.setattr("tests.entries.fake_dns.resolve", rebinding)
    fetched = fetch(f"http://site.test:{allowed_server.port}/ok")
    assert fetched.status == 200
    assert fetched.peer_address == "127.0.0.1"
    assert asked == ["site.test"]
    assert allowed_server.requests[0][2]["Host"] == f"site.test:{allowed_server.port}"


def test_port_outside_the_allowed_ones_is_refused(fake_dns_records, no_exceptions):
    fake_dns_records["site.test"] = ["93.184.215.14"]
    with pytest.raises(FetchRefused, match="port 25"):
        fetch("http://site.test:25/")


REDIRECTED_TO = "loopback metadata mapped-loopback decimal octal hex private-10 cgnat"
REDIRECTED_TO += " ipv6-loopback nat64-private localhost-name"
REDIRECT_TARGETS = {
    **{name: FORBIDDEN_URLS[name] for name in REDIRECTED_TO.split()},
    "file": "file:///etc/passwd",
    "gopher": "gopher://127.0.0.1:6379/_INFO",
    "credentials": "http://admin:admin@example.org/",
    "private-name": "http://site.test/",
}


@pytest.mark.parametrize("target", REDIRECT_TARGETS.values(), ids=REDIRECT_TARGETS.keys())
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_forbidden_target_is_refused(status, target, allowed_server, fake_dns_records):
    fake_dns_records["site.test"] = ["10.0.0.5"]
    start = allowed_server.url(f"/redirect?status={status}&to={target}")
    with pytest.raises(FetchRefused):
        fetch(start)
    assert len(allowed_server.requests) == 1  # the first hop was made; the second never


def test_redirect_to_another_local_port_is_refused(allowed_server):
    """The allow-list names one server; a redirect to another port of 127.0.0.1 is loopback."""
    target = f"http://127.0.0.1:{allowed_server.port + 1}/"
    with pytest.raises(FetchRefused, match="loopback"):
        fetch(allowed_server.url(f"/redirect?to={target}"))


def test_redirect_within_the_allowed_server_is_followed(allowed_server):
    fetched = fetch(allowed_server.url(f"/redirect?to={allowed_server.url('/ok')}"))
    assert fetched.status == 200
    assert fetched.redirects == [(302, allowed_server.url("/ok"))]


def test_too_many_redirects_are_refused(allowed_server):
    with pytest.raises(FetchRefused, match="more than 5 redirects"):
        fetch(allowed_server.url("/loop"))
    assert len(allowed_server.requests) == 6


def test_no_cookie_is_sent_back_and_the_agent_names_the_product(allowed_server):
    fetched = fetch(allowed_server.url("/cookie"))
    sent = allowed_server.requests[-1][2]
    assert fetched.final_url == allowed_server.url("/echo")
    assert "Cookie" not in sent and "Authorization" not in sent
    assert sent["User-Agent"].startswith("LegalBulletinLinkChecker/")


def test_unknown_name_fails_as_dns(fake_dns_records, no_exceptions):
    with pytest.raises(FetchFailed, match="could not be resolved"):
        fetch("http://nowhere.test/")


def test_international_name_is_resolved_in_its_ascii_form(allowed_server, fake_dns_records):
    fake_dns_records["xn--fiqs8s.test"] = ["127.0.0.1"]
    fetched = fetch(f"http://中国.test:{allowed_server.port}/ok")
    assert fetched.status == 200
    assert allowed_server.requests[0][2]["Host"] == f"xn--fiqs8s.test:{allowed_server.port}"


def test_localhost_through_the_system_resolver_is_refused(no_exceptions):
    no_exceptions.LINK_FETCH_RESOLVER = ""  # the system's (/etc/hosts answers, no network)
    with pytest.raises(FetchRefused, match="localhost is a loopback address"):
        fetch("http://localhost/")


PUBLIC = ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"]
PUBLIC += ["64:ff9b::8.8.8.8", "100.128.0.1", "172.32.0.1", "192.169.0.1"]


@pytest.mark.parametrize("address", PUBLIC)
def test_public_address_passes_the_policy(address):
    """The other side of the suite: the ranges are not drawn so wide that the web is refused."""
    assert forbidden_reason(ipaddress.ip_address(address)) == ""


def test_name_resolving_to_public_addresses_passes_the_policy(fake_dns_records, no_exceptions):
    fake_dns_records["site.test"] = ["93.184.215.14", "2606:4700::1111"]
    host, port, addresses = vet(urlsplit("https://site.test/page"))
    assert (host, port) == ("site.test", 443)
    assert [str(a) for a in addresses] == ["93.184.215.14", "2606:4700::1111"]


MALFORMED = {
    "open-bracket": "http://[::1/",
    "bad-port": "http://example.org:99999/",
    "port-text": "http://example.org:http/",
    "no-host": "http:///etc/passwd",
    "space-in-host": "http://exa mple.org/",
    "nul-in-host": "http://%00/",
    "long-label": "http://" + "a" * 300 + ".test/",
    "bad-idna": "http://\u2028.test/",
}


@pytest.mark.parametrize("url", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_address_gives_a_clear_error(url, fake_dns_records, no_exceptions):
    with pytest.raises((FetchRefused, FetchFailed)) as error:
        fetch(url)
    assert error.value.reason


def test_redirect_to_a_malformed_address_is_refused(allowed_server):
    with pytest.raises(FetchRefused, match="not a valid URL"):
        fetch(allowed_server.url("/redirect?to=http://[::1/"))
