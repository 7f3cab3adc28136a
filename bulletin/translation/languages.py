"""Which languages content is written and translated in: settings, not code. The source text is
in its bulletin's language (LANGUAGE_CODE for what has no bulletin: authors, tags, places); every
other language of CONTENT_LANGUAGES (by default, every language of LANGUAGES) is a translation."""

from django.conf import settings


def content_languages() -> list[str]:
    return list(getattr(settings, "CONTENT_LANGUAGES", None) or [c for c, _n in settings.LANGUAGES])


def source_language(subject=None) -> str:
    """The language of the subject's own columns."""
    bulletin = getattr(subject, "bulletin", None)
    if bulletin is None and hasattr(subject, "issue"):
        bulletin = subject.issue.bulletin
    if bulletin is None and type(subject).__name__ == "Bulletin":
        bulletin = subject
    return getattr(bulletin, "language", None) or settings.LANGUAGE_CODE


def target_languages(subject=None) -> list[str]:
    """The languages the subject is translated into."""
    source = source_language(subject)
    return [code for code in content_languages() if code != source]


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))
