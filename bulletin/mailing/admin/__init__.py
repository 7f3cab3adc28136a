"""The admin of the email output: subscribers (import, export, erasure) and sends (progress,
pause, resume, cancel, retry, test message)."""

from bulletin.mailing.admin import sends, subscribers  # noqa: F401
