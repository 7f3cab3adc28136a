"""The editorial admin: issues and entries with their workflow, history and audit trail."""

from bulletin.admin import accounts, entries, issues, operations  # noqa: F401
