"""Per-recipient messages from an email rendered once: fill the placeholders, add the headers.

The SMTP path assembles the MIME bytes directly (the parts are encoded in C by base64), which is
several times faster than building an email.message object for each of thousands of
recipients; other backends (an email provider through django-anymail, the file backend) get an
EmailMultiAlternatives with the same parts and headers.
"""

import binascii
import functools
import hashlib
import html
import secrets
from dataclasses import dataclass
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from bulletin.mailing import rendering
from bulletin.mailing.tokens import manage_token_for, unsubscribe_token


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    subscriber_id: int
    email: str
    name: str
    language: str
    key: str
    attempts: int = 0


def _encode_header(value: str) -> str:
    """One line (no header can be smuggled in), encoded if it is not ASCII."""
    value = " ".join(value.split())
    return Header(value, "utf-8").encode() if not value.isascii() else value


def _base64_lines(text: str) -> bytes:
    """Base64 in lines of 76 characters (one C call, then slices: encodebytes loops in
    Python over 57-byte chunks and was a third of the time spent on each message)."""
    encoded = binascii.b2a_base64(text.encode(), newline=False)
    lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
    return b"\r\n".join(lines) + b"\r\n"


class Base64HtmlEmail(EmailMultiAlternatives):
    """An email whose HTML part is base64: Django would send its long lines of inlined CSS
    quoted-printable, a third larger for Chinese text (every byte of a character is =XX)."""

    def _create_mime_attachment(self, content, mimetype):
        if mimetype == "text/html":
            return MIMEText(content, "html", "utf-8")  # utf-8 bodies are base64 by default
        return super()._create_mime_attachment(content, mimetype)


def from_domain() -> str:
    return settings.MAILING_FROM_EMAIL.rpartition("@")[2].strip(">") or "localhost"


@functools.cache
def installation_id() -> str:
    """A mark of this installation in every Message-ID: staging and production sending from one
    domain number their sends alike, and mail systems fold messages by Message-ID. It is
    MAILING_INSTALLATION_ID, or derived from SITE_URL and the database, so it stays the same
    from one process and one restart to the next."""
    if settings.MAILING_INSTALLATION_ID:
        return settings.MAILING_INSTALLATION_ID
    database = settings.DATABASES["default"]
    seed = "|".join(str(p) for p in (settings.SITE_URL, database.get("HOST"), database["NAME"]))
    return hashlib.sha256(seed.encode()).hexdigest()[:12]


def message_id(send_id: int, delivery_id: int) -> str:
    """The same for every attempt at one delivery, so a message sent twice (the one in doubt
    when a worker dies) is recognised by mail systems as one message; unique to this
    installation."""
    return f"<mailing.{send_id}.{delivery_id}.{installation_id()}@{from_domain()}>"


class Composer:
    """Builds the messages of one send; created once per batch."""

    def __init__(self, *, rendered: dict, send_id: int, bulletin_id: int, bulletin: dict):
        self.rendered = rendered
        self.send_id = send_id
        self.bulletin_id = bulletin_id
        sender = " ".join((bulletin.get("firm_name") or bulletin.get("name") or "").split())
        self.from_header = formataddr((sender, settings.MAILING_FROM_EMAIL), charset="utf-8")
        self.from_email = settings.MAILING_FROM_EMAIL
        domain = from_domain()
        list_name = _encode_header(bulletin.get("name", ""))
        self.list_id = f"{list_name} <{bulletin['slug']}.{domain}>"
        self.feedback_id = f"{send_id}:{bulletin['slug']}:bulletin:{domain}"
        self.subjects = {lang: _encode_header(r["subject"]) for lang, r in rendered.items()}
        self.boundary = f"=_mailing_{secrets.token_hex(12)}"
        self._paths = {}

    def _language(self, language: str) -> str:
        return language if language in self.rendered else next(iter(self.rendered))

    def _path(self, name: str, language: str, token: str) -> str:
        if (name, language) not in self._paths:
            with translation.override(language):
                self._paths[name, language] = reverse(f"mailing:{name}", args=["TOKEN"])
        return settings.SITE_URL + self._paths[name, language].replace("TOKEN", token)

    def links(self, recipient: Recipient, language: str) -> tuple[str, str]:
        """The recipient's preferences and unsubscribe addresses."""
        token = unsubscribe_token(recipient.subscriber_id, recipient.key, self.bulletin_id)
        manage = manage_token_for(recipient.subscriber_id, recipient.key)
        return self._path("preferences", language, manage), self._path(
            "unsubscribe", language, token
        )

    def parts(self, recipient: Recipient) -> tuple[str, str, str, str]:
        """Language, HTML, text and unsubscribe address of one recipient's message."""
        language = self._language(recipient.language)
        rendered = self.rendered[language]
        if recipient.name:
            greeting = rendered["greeting_named"] % {"name": recipient.name}
        else:
            greeting = rendered["greeting_anonymous"]
        preferences, unsubscribe = self.links(recipient, language)
        html_body = (
            rendered["html"]
            .replace(rendering.GREETING, html.escape(greeting))
            .replace(rendering.PREFERENCES_URL, html.escape(preferences))
            .replace(rendering.UNSUBSCRIBE_URL, html.escape(unsubscribe))
        )
        text_body = (
            rendered["text"]
            .replace(rendering.GREETING, greeting)
            .replace(rendering.PREFERENCES_URL, preferences)
            .replace(rendering.UNSUBSCRIBE_URL, unsubscribe)
        )
        return language, html_body, text_body, unsubscribe

    def list_headers(self, unsubscribe: str) -> dict[str, str]:
        """RFC 2369 and RFC 8058 headers: one-click unsubscribe by POST, or by email."""
        token = unsubscribe.rstrip("/").rpartition("/")[2]
        mailto = f"mailto:{settings.MAILING_UNSUBSCRIBE_EMAIL}?subject=" + quote(
            f"unsubscribe {token}"
        )
        return {
            "List-Unsubscribe": f"<{unsubscribe}>,\r\n <{mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": self.list_id,
            "Feedback-ID": self.feedback_id,
        }

    def raw(self, recipient: Recipient) -> bytes:
        """The whole message as bytes for SMTP."""
        language, html_body, text_body, unsubscribe = self.parts(recipient)
        headers = {
            "From": self.from_header,
            "To": recipient.email,
            "Subject": self.subjects[language],
            "Date": formatdate(localtime=False),
            "Message-ID": message_id(self.send_id, recipient.delivery_id),
            **self.list_headers(unsubscribe),
            "MIME-Version": "1.0",
            "Content-Type": f'multipart/alternative; boundary="{self.boundary}"',
        }
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        part = (
            '--{b}\r\nContent-Type: text/{kind}; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n"
        )
        return b"".join(
            [
                head.encode(),
                b"\r\n",
                part.format(b=self.boundary, kind="plain").encode(),
                _base64_lines(text_body),
                part.format(b=self.boundary, kind="html").encode(),
                _base64_lines(html_body),
                f"--{self.boundary}--\r\n".encode(),
            ]
        )

    def message(self, recipient: Recipient, connection=None) -> Base64HtmlEmail:
        """The same message as an EmailMessage, for backends other than SMTP."""
        language, html_body, text_body, unsubscribe = self.parts(recipient)
        headers = {
            "Message-ID": message_id(self.send_id, recipient.delivery_id),
            **self.list_headers(unsubscribe),
        }
        headers["List-Unsubscribe"] = headers["List-Unsubscribe"].replace("\r\n", "")
        message = Base64HtmlEmail(
            subject=self.rendered[language]["subject"],
            body=text_body,
            from_email=self.from_header,
            to=[recipient.email],
            headers=headers,
            connection=connection,
        )
        message.attach_alternative(html_body, "text/html")
        return message
