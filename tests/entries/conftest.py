"""Fixtures of the link tests: local servers, the allow-list that lets the fetcher reach them,
and a resolver the test controls."""

import ssl

import pytest

from entries.fetching import hosts_forget
from tests.entries import fake_dns
from tests.entries.servers import Server, self_signed


@pytest.fixture(autouse=True)
def fresh_host_limits(settings):
    """Every test starts with no request counted against the test hosts."""
    hosts_forget(["127.0.0.1", "localhost", "site.test", "secure.test", "other.test"])
    yield
    hosts_forget(["127.0.0.1", "localhost", "site.test", "secure.test", "other.test"])


@pytest.fixture
def no_exceptions(settings):
    """The policy exactly as in production: nothing on the allow-list."""
    settings.LINK_FETCH_ALLOW = []
    return settings


@pytest.fixture
def link_server():
    server = Server()
    yield server
    server.stop()


@pytest.fixture
def allowed_server(link_server, settings):
    """A local server the fetcher may reach (its port alone is on LINK_FETCH_ALLOW)."""
    settings.LINK_FETCH_ALLOW = [link_server.netloc]
    return link_server


@pytest.fixture
def fake_dns_records(settings):
    """Names the test resolves itself: fake_dns_records["site.test"] = ["10.0.0.1"]."""
    settings.LINK_FETCH_RESOLVER = "tests.entries.fake_dns.resolve"
    fake_dns.reset()
    yield fake_dns.RECORDS
    fake_dns.reset()


@pytest.fixture
def tls_server(tmp_path, settings):
    """An https server on 127.0.0.1 with a certificate for secure.test (trusted through
    LINK_FETCH_CA_FILE); `sni` records the names clients asked for."""
    cert, key = self_signed(tmp_path, "secure.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server = Server(tls=context)
    server.sni = names
    settings.LINK_FETCH_CA_FILE = str(cert)
    settings.LINK_FETCH_ALLOW = [server.netloc]
    yield server
    server.stop()
