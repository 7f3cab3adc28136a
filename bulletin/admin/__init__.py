"""The editorial admin: issues and entries with their workflow, history and audit trail."""

from bulletin.admin import accounts, captures, entries, identity, issues, operations  # noqa: F401
