"""CSV import of subscribers: every line is accounted for (added, already there, or rejected
with its reason and line number); nobody who unsubscribed is subscribed again."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin.mailing.models import Consent, Subscriber, Subscription, normalize_email
from bulletin.mailing.services.subscribers import Origin, origin_check
from bulletin.models import Bulletin

HEADERS = {
    "email": "email",
    "e-mail": "email",
    "邮箱": "email",
    "电子邮件": "email",
    "name": "name",
    "姓名": "name",
    "organisation": "organisation",
    "organization": "organisation",
    "单位": "organisation",
    "公司": "organisation",
    "language": "language",
    "语言": "language",
}
LANGUAGES = {
    "zh-hans": "zh-hans",
    "zh": "zh-hans",
    "zh-cn": "zh-hans",
    "中文": "zh-hans",
    "chinese": "zh-hans",
    "en": "en",
    "english": "en",
    "英文": "en",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, no header, no email column)."""


@dataclass
class ImportReport:
    added: list[tuple[int, str]] = field(default_factory=list)
    unchanged: list[tuple[int, str, str]] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return len(self.added) + len(self.unchanged) + len(self.rejected)


@dataclass
class Row:
    line: int
    email: str
    name: str
    organisation: str
    language: str


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor GB18030 text."))


def _reader(text: str) -> tuple[csv.reader, list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [HEADERS.get(h.strip().lower(), h.strip().lower()) for h in next(reader, [])]
    if "email" not in header:
        raise ImportFileError(_("The first line must name the columns, one of them “email”."))
    return reader, header


def _parse(cells: list[str], header: list[str], line: int, default_language: str) -> Row:
    """One line as a row, or ValidationError with the reason."""
    if len(cells) != len(header):
        raise ValidationError(
            _("%(found)s cells where the header has %(expected)s.")
            % {"found": len(cells), "expected": len(header)}
        )
    values = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
    email = normalize_email(values.get("email", ""))
    if not email:
        raise ValidationError(_("No email address."))
    validate_email(email)
    language = values.get("language", "").lower() or default_language
    if language not in LANGUAGES:
        raise ValidationError(_("Unknown language “%(value)s”.") % {"value": language})
    return Row(
        line=line,
        email=email,
        name=values.get("name", "")[:200],
        organisation=values.get("organisation", "")[:200],
        language=LANGUAGES[language],
    )


def _rows(text: str, default_language: str, report: ImportReport) -> list[Row]:
    reader, header = _reader(text)
    rows, seen = [], {}
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            report.rejected.append((start, "", _("Empty line.")))
            continue
        try:
            row = _parse(cells, header, start, default_language)
        except ValidationError as exc:
            report.rejected.append((start, ",".join(cells)[:200], " ".join(exc.messages)))
            continue
        if row.email in seen:
            reason = _("Same address as line %(line)s.") % {"line": seen[row.email]}
            report.rejected.append((start, row.email, reason))
            continue
        seen[row.email] = start
        rows.append(row)
    return rows


def _existing(rows: list[Row], bulletin: Bulletin) -> tuple[dict, dict]:
    emails = [row.email for row in rows]
    subscribers = {s.email: s for s in Subscriber.objects.filter(email__in=emails)}
    subscriptions = {
        s.subscriber.email: s
        for s in Subscription.objects.filter(
            bulletin=bulletin, subscriber__email__in=emails
        ).select_related("subscriber")
    }
    return subscribers, subscriptions


def _consent(subscriber_id: int, bulletin: Bulletin, text: str, origin: Origin, now) -> Consent:
    return Consent(
        subscriber_id=subscriber_id,
        bulletin=bulletin,
        action=Consent.Action.CONFIRMED,
        route=Consent.Route.IMPORT,
        text=text,
        actor=origin.actor,
        created_at=now,
    )


@transaction.atomic
def subscribers_import(
    *, data: bytes, bulletin: Bulletin, consent_text: str, origin: Origin
) -> ImportReport:
    """Import a CSV file as confirmed subscribers of one bulletin, consent recorded as given
    by the import with the importer's statement of how they consented."""
    origin_check(origin)
    report = ImportReport()
    rows = _rows(_decode(data), bulletin.language, report)
    subscribers, subscriptions = _existing(rows, bulletin)
    now = timezone.now()
    new = [
        Subscriber(email=r.email, name=r.name, organisation=r.organisation, language=r.language)
        for r in rows
        if r.email not in subscribers
    ]
    if new:  # a row subscribing at this moment through the form is not a conflict
        Subscriber.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        subscribers, _subs = _existing(rows, bulletin)
    to_confirm, consents = [], []
    for row in rows:
        subscription = subscriptions.get(row.email)
        if subscription and subscription.status != Subscription.Status.PENDING:
            reason = _("Already in this bulletin, status “%(status)s”; left as it is.") % {
                "status": subscription.get_status_display()
            }
            report.unchanged.append((row.line, row.email, reason))
            continue
        subscriber_id = subscribers[row.email].pk
        to_confirm.append(subscription or Subscription(subscriber_id=subscriber_id))
        consents.append(_consent(subscriber_id, bulletin, consent_text, origin, now))
        report.added.append((row.line, row.email))
    _confirm_all(to_confirm, bulletin, now)
    Consent.objects.bulk_create(consents, batch_size=1000)
    report.rejected.sort()
    return report


def _confirm_all(subscriptions: list[Subscription], bulletin: Bulletin, now) -> None:
    for subscription in subscriptions:
        subscription.bulletin = bulletin
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = subscription.status_changed_at = now
    Subscription.objects.bulk_create(
        [s for s in subscriptions if s.pk is None], batch_size=1000, ignore_conflicts=True
    )
    Subscription.objects.bulk_update(
        [s for s in subscriptions if s.pk is not None],
        ["status", "confirmed_at", "status_changed_at"],
        batch_size=1000,
    )
