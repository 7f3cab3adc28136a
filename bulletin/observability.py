"""Request ids carried from a request into the Celery tasks it enqueues, JSON log lines for
production, and error reporting to Sentry when SENTRY_DSN is set."""

import contextvars
import json
import logging
import re
import uuid

from celery import signals

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HEADER = "request_id"


def request_id_middleware(get_response):
    """Take the proxy's X-Request-ID when it is sane, else make one; echo it in the response."""

    def middleware(request):
        incoming = request.headers.get("X-Request-ID", "")
        value = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(value)
        try:
            response = get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response

    return middleware


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for a log system to read."""

    FIELDS = ("issue_id", "duration_ms", "task", "job")

    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        line.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


@signals.before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    if headers is not None and request_id.get() != "-":
        headers[HEADER] = request_id.get()


@signals.task_prerun.connect
def _receive_request_id(task=None, **kwargs):
    value = getattr(task.request, HEADER, None) if task else None
    request_id.set(value if isinstance(value, str) and _VALID_ID.match(value) else "-")


def sentry_init(dsn: str, environment: str) -> None:
    """Report errors to Sentry; called from settings only when SENTRY_DSN is set."""
    # Sentry is optional: loaded only when configured.
    import sentry_sdk  # noqa: PLC0415
    from sentry_sdk.integrations.celery import CeleryIntegration  # noqa: PLC0415
    from sentry_sdk.integrations.django import DjangoIntegration  # noqa: PLC0415

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=0.0,
    )
