"""Per-address limits (sign-in, search, subscribe) count the real client behind the trusted
proxies, and an IPv6 client by its /64."""

import pytest
from django.core.cache import cache

from bulletin.addresses import limit_key
from tests.factories import BulletinFactory, UserFactory

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


def sign_in(client, username, password, *, forwarded=None, address=PROXY):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:aa:1:1234:5678:9abc:def0", "2001:db8:aa:1::"),
        ("2001:DB8:AA:1::1", "2001:db8:aa:1::"),
        ("::ffff:198.51.100.4", "198.51.100.4"),
        ("not an address", "not an address"),
    ],
)
def test_limits_count_ipv4_addresses_and_ipv6_networks(address, key):
    assert limit_key(address) == key


def test_sign_in_lockout_behind_a_proxy_locks_the_client_not_everyone(client, settings):
    settings.PROXY_COUNT = 1
    UserFactory(username="partner")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong", forwarded="203.0.113.5")
    assert sign_in(client, "other", "wrong", forwarded="203.0.113.5").status_code == 429
    response = sign_in(client, "partner", "pw-for-tests-123", forwarded="198.51.100.20")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_sign_in_lockout_covers_an_ipv6_network(client, settings):
    UserFactory(username="partner")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong", address=f"2001:db8:aa:1::{n + 1:x}")
    rotated = sign_in(client, "guess-next", "wrong", address="2001:db8:aa:1:ffff::1")
    assert rotated.status_code == 429
    elsewhere = sign_in(client, "partner", "pw-for-tests-123", address="2001:db8:aa:2::1")
    assert elsewhere.status_code == 302


def test_search_limit_covers_an_ipv6_network(client, settings):
    settings.SEARCH_RATE_LIMIT = 3
    for n in range(3):
        response = client.get("/search/", {"q": "版权"}, REMOTE_ADDR=f"2001:db8:bb:1::{n + 1}")
        assert response.status_code == 200
    assert client.get("/search/", {"q": "版权"}, REMOTE_ADDR="2001:db8:bb:1::99").status_code == 429
    other = client.get("/search/", {"q": "版权"}, REMOTE_ADDR="2001:db8:bb:2::1")
    assert other.status_code == 200


def test_subscribe_limit_covers_an_ipv6_network(client, settings):
    settings.MAILING_SUBSCRIBE_LIMIT = 2
    bulletin = BulletinFactory()

    def post(n, address):
        data = {"email": f"r{n}@example.com", "language": "en", "consent": "on", "website": ""}
        return client.post(f"/mail/subscribe/{bulletin.slug}/", data, REMOTE_ADDR=address)

    assert [post(n, f"2001:db8:cc:1::{n + 1}").status_code for n in range(2)] == [302, 302]
    assert post(3, "2001:db8:cc:1:abcd::7").status_code == 429
    assert post(4, "2001:db8:cc:9::1").status_code == 302
