"""Login throttling, health checks and security headers."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from bulletin.health import beat_heartbeat
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


def attempt(client, password, username="lawyer"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_repeated_failed_logins_lock_the_account_with_a_clear_message(client, settings):
    UserFactory(username="lawyer")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert attempt(client, "pw-for-tests-123").status_code == 429


def test_staff_unlock_a_locked_account(client, admin_client, settings):
    UserFactory(username="lawyer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.all()
    assert attempts.exists()
    changelist = reverse("admin:axes_accessattempt_changelist")
    response = admin_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"},
    )
    assert response.status_code == 302
    assert attempt(client, "pw-for-tests-123").status_code == 302


def test_healthz_answers_while_the_process_lives(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_a_missing_beat_without_leaving_service(client):
    cache.clear()
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["database"]["ok"] and not body["checks"]["beat"]["ok"]


def test_readyz_is_unavailable_when_the_database_is_not(client, monkeypatch):
    from bulletin import health

    def broken():
        raise ConnectionError("database down")

    monkeypatch.setattr(health, "_database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "ConnectionError"}


def test_readyz_is_ready_when_every_service_answers(client):
    beat_heartbeat()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert "password" not in response.content.decode().lower()


@pytest.mark.parametrize("path", ["/", "/admin/login/"])
def test_pages_carry_the_security_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_each_response_carries_a_request_id(client):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    echoed = client.get("/healthz", HTTP_X_REQUEST_ID="edge-42")
    assert echoed["X-Request-ID"] == "edge-42"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert forged["X-Request-ID"] != "<script>"


def test_production_logs_are_json_lines_with_the_request_id():
    import json
    import logging

    from bulletin.observability import JsonFormatter, RequestIdFilter, request_id

    token = request_id.set("abc123")
    try:
        record = logging.LogRecord(
            "bulletin", logging.INFO, __file__, 1, "issue %s published", (7,), None
        )
        record.issue_id = 7
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "issue 7 published"
    assert line["request_id"] == "abc123" and line["issue_id"] == 7


def test_searching_too_fast_gets_a_clear_429(client, settings):
    cache.clear()
    settings.SEARCH_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/search/", {"q": "版权"}).status_code == 200
    response = client.get("/search/", {"q": "版权"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert client.get("/search/", {"q": "版权"}, REMOTE_ADDR="10.0.0.9").status_code == 200
