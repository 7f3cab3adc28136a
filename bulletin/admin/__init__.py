"""The editorial admin: issues and entries with their workflow, history and audit trail."""

from bulletin.admin import entries, issues, operations  # noqa: F401
