"""What the import and export commands share: reading files, finding the user, the report."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

MAX_BYTES = 50 * 1024 * 1024


def read_bytes(path: str) -> bytes:
    """A file's content, if it is not too large."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": path})
    if file.stat().st_size > MAX_BYTES:
        raise CommandError(_("%(path)s is larger than 50 MB.") % {"path": path})
    return file.read_bytes()


def read_text(path: str) -> str:
    """A file's text, which must be UTF-8 (a byte-order mark is allowed)."""
    content = read_bytes(path)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(
            _("%(path)s is not UTF-8 text (byte %(byte)s). Save it as UTF-8 and try again.")
            % {"path": path, "byte": exc.start}
        ) from exc


def read_json(path: str) -> object:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise CommandError(
            _("%(path)s is not valid JSON (line %(line)s, column %(column)s: %(error)s).")
            % {"path": path, "line": exc.lineno, "column": exc.colno, "error": exc.msg}
        ) from exc


def user_named(username: str | None):
    """The user an import is made for (it creates the issue as them), or None."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(_("No user “%(name)s”.") % {"name": username}) from exc
