"""Handing messages to the mail server: one connection per batch, failures sorted into those to
retry (4xx, lost connections, a provider's 429/5xx) and those not to (5xx, a rejected address).

SMTP (EMAIL_URL) gets the raw bytes over the connection of Django's SMTP backend, so TLS and
authentication are configured in one place; any other backend (django-anymail for a provider,
the file backend in development) gets EmailMessage objects.
"""

import logging
import re
import smtplib

from django.conf import settings
from django.core.mail import get_connection

from bulletin.mailing.compose import Composer, Recipient, message_id

logger = logging.getLogger(__name__)
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# Enhanced status codes (RFC 3463) that say the address itself does not exist.
BAD_ADDRESS = re.compile(r"\b5\.1\.(1|2|3|10)\b")


class TemporaryFailure(Exception):
    """Try this message again later."""


class ConnectionLost(TemporaryFailure):
    """The connection is gone: try this message later, and reconnect before the next."""


class PermanentFailure(Exception):
    """Do not try again; `bad_address` when the server says the mailbox does not exist."""

    def __init__(self, message: str, *, bad_address: bool = False):
        super().__init__(message)
        self.bad_address = bad_address


def _reply(code: int, text) -> str:
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return f"{code} {text}"[:1000]


def _by_code(code: int, text) -> Exception:
    reply = _reply(code, text)
    if 500 <= code < 600:
        return PermanentFailure(reply, bad_address=bool(BAD_ADDRESS.search(reply)))
    return TemporaryFailure(reply)


def smtp_failure(exc: Exception) -> Exception:
    """The failure an exception of smtplib (or of the socket under it) stands for."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return _by_code(code, text)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        # Our own address refused: every message would fail, so wait and try again.
        return ConnectionLost(_reply(exc.smtp_code, exc.smtp_error))
    if isinstance(exc, smtplib.SMTPResponseException):
        if exc.smtp_code == 421:  # the server is closing the connection
            return ConnectionLost(_reply(exc.smtp_code, exc.smtp_error))
        return _by_code(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPException) and not isinstance(
        exc, smtplib.SMTPServerDisconnected
    ):
        return TemporaryFailure(f"{type(exc).__name__}: {exc}"[:1000])
    # SMTPServerDisconnected and socket errors (SMTPException is an OSError too).
    return ConnectionLost(f"{type(exc).__name__}: {exc}"[:1000])


def provider_failure(exc: Exception) -> Exception:
    """The failure an exception of django-anymail stands for."""
    name = type(exc).__name__
    if name == "AnymailRecipientsRefused":
        return PermanentFailure(str(exc)[:1000], bad_address=True)
    status = getattr(exc, "status_code", None)
    if status in (401, 403, 408, 429):  # our credentials or our pace: every message would fail
        return ConnectionLost(f"{status} {exc}"[:1000])
    if status and 400 <= status < 500:
        return PermanentFailure(f"{status} {exc}"[:1000])
    if isinstance(exc, smtplib.SMTPException | OSError):
        return smtp_failure(exc)
    return TemporaryFailure(f"{name}: {exc}"[:1000])


def _refused(smtp: smtplib.SMTP, code: int, exc: smtplib.SMTPException) -> Exception:
    """As smtplib does after a refusal: drop a connection the server is closing, else reset."""
    if code == 421:
        smtp.close()
    else:
        smtp._rset()
    return exc


def sendmail(smtp: smtplib.SMTP, sender: str, recipient: str, raw: bytes) -> None:
    """smtplib's sendmail for one recipient, raising the same exceptions, for a message already
    in the form SMTP carries: our messages end their lines with CRLF and no line of theirs
    starts with a dot (headers, then base64), so the regular expression smtplib runs over every
    byte to double such dots (a fifth of a message's CPU time) is not needed; a message that
    does have one goes through smtplib."""
    if raw.startswith(b".") or b"\n." in raw or not raw.endswith(b"\r\n"):
        smtp.sendmail(sender, [recipient], raw)
        return
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(raw)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        raise _refused(smtp, code, smtplib.SMTPSenderRefused(code, reply, sender))
    code, reply = smtp.rcpt(recipient)
    if code not in (250, 251):
        raise _refused(smtp, code, smtplib.SMTPRecipientsRefused({recipient: (code, reply)}))
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code == 354:
        smtp.send(raw + b".\r\n")
        code, reply = smtp.getreply()
    if code != 250:
        raise _refused(smtp, code, smtplib.SMTPDataError(code, reply))


class SmtpTransport:
    """Raw messages over one SMTP connection."""

    def __init__(self):
        self.backend = get_connection(SMTP_BACKEND, fail_silently=False)

    def open(self) -> None:
        """Connect; any failure here (refused, TLS, authentication) concerns every message."""
        try:
            self.backend.open()
        except Exception as exc:
            self.backend.connection = None
            raise ConnectionLost(str(smtp_failure(exc))) from exc

    def close(self) -> None:
        try:
            self.backend.close()
        except Exception:  # closing a dead connection is not an error worth reporting
            self.backend.connection = None

    def send(self, composer: Composer, recipient: Recipient) -> str:
        """Hand one message over; return its Message-ID once the server has accepted it."""
        if self.backend.connection is None:
            self.open()
        raw = composer.raw(recipient)
        try:
            sendmail(self.backend.connection, composer.from_email, recipient.email, raw)
        except Exception as exc:
            raise smtp_failure(exc) from exc
        return message_id(composer.send_id, recipient.delivery_id)


class BackendTransport:
    """EmailMessage objects through the configured backend (a provider's API, files)."""

    def __init__(self):
        self.backend = get_connection(fail_silently=False)

    def open(self) -> None:
        try:
            self.backend.open()
        except Exception as exc:
            raise ConnectionLost(str(provider_failure(exc))) from exc

    def close(self) -> None:
        try:
            self.backend.close()
        except Exception as exc:
            logger.debug("closing the mail backend: %s", exc)

    def send(self, composer: Composer, recipient: Recipient) -> str:
        message = composer.message(recipient, connection=self.backend)
        try:
            message.send()
        except Exception as exc:
            raise provider_failure(exc) from exc
        status = getattr(message, "anymail_status", None)
        return (status and status.message_id) or message_id(composer.send_id, recipient.delivery_id)


def transport_for_settings() -> SmtpTransport | BackendTransport:
    if settings.EMAIL_BACKEND == SMTP_BACKEND:
        return SmtpTransport()
    return BackendTransport()
