"""Control characters are taken out of whatever an import brings in, before any of it reaches a
text column: PostgreSQL refuses a NUL byte in text, and the others are invisible garbage. Tab,
newline and carriage return stay (the text importer reads a form feed as a page start first)."""

import re

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control(text: str) -> tuple[str, int]:
    """The text without control characters, and how many were removed."""
    return CONTROL.subn("", text)


def document_without_control(value: object) -> tuple[object, int]:
    """A parsed JSON value with control characters removed from every string (keys too)."""
    if isinstance(value, str):
        return without_control(value)
    if isinstance(value, list):
        cleaned = [document_without_control(item) for item in value]
        return [item for item, _n in cleaned], sum(n for _item, n in cleaned)
    if isinstance(value, dict):
        out, removed = {}, 0
        for key, item in value.items():
            (clean_key, n), (clean_item, m) = without_control(key), document_without_control(item)
            out[clean_key], removed = clean_item, removed + n + m
        return out, removed
    return value, 0
