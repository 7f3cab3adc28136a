"""Machine translation drafts through a configurable provider (off by default):
TRANSLATION_PROVIDER = "none" | "openai" (an OpenAI-compatible chat-completions endpoint) |
"deepl" (the DeepL API), at TRANSLATION_API_URL with TRANSLATION_API_KEY (and TRANSLATION_MODEL
for "openai"). One unit's texts go in one call (DeepL: one for plain text, one for rich text);
rich text is sent and received as HTML. Every failure (timeout, HTTP error, quota, an answer that
cannot be read) raises MachineError with a message for the translator; nothing is written here.

The call is synchronous, with a short timeout (TRANSLATION_TIMEOUT, 20 s): the translator asked
for a draft of the unit on the screen and reads it next, the texts of one unit are small, and a
task would leave the screen to poll for a draft that a save made meanwhile may contradict."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from bulletin.translation.languages import language_name

PROVIDERS = ("none", "openai", "deepl")
# The most text one request sends: a unit's source is far smaller (an entry is a few thousand
# characters); a larger one is refused before it costs anything.
MAX_REQUEST_CHARS = 60_000
# DeepL's codes where ours differ (DeepL wants a variant for English and Portuguese targets).
DEEPL_TARGETS = {"en": "EN-GB", "zh-hans": "ZH-HANS", "zh-hant": "ZH-HANT", "pt": "PT-PT"}


class MachineError(Exception):
    """The provider gave no usable draft; the message says why, for the translator."""


@dataclass(frozen=True)
class Piece:
    key: str
    text: str
    rich: bool


def provider() -> str:
    name = (getattr(settings, "TRANSLATION_PROVIDER", "") or "none").lower()
    return name if name in PROVIDERS else "none"


def provider_configured() -> bool:
    return provider() != "none" and bool(getattr(settings, "TRANSLATION_API_URL", ""))


def provider_label() -> str:
    return {"openai": "OpenAI-compatible", "deepl": "DeepL"}.get(provider(), "")


def machine_translate(pieces: list[Piece], *, source: str, target: str) -> dict[str, str]:
    """The provider's translation of each piece, by key (HTML for rich pieces)."""
    if not provider_configured():
        raise MachineError(_("No machine translation service is configured."))
    if sum(len(p.text) for p in pieces) > MAX_REQUEST_CHARS:
        raise MachineError(_("These texts are too long to send for a machine draft."))
    if provider() == "deepl":
        return _deepl(pieces, source=source, target=target)
    return _openai(pieces, source=source, target=target)


def _openai(pieces: list[Piece], *, source: str, target: str) -> dict[str, str]:
    instructions = (
        f"Translate the values of the JSON object from {language_name(source)} ({source}) into "
        f"{language_name(target)} ({target}) for a law firm's legal bulletin. Keep HTML markup "
        "exactly as it is and translate only the text. Answer with a JSON object with the same "
        "keys and the translations as string values, and nothing else."
    )
    payload = {
        "model": getattr(settings, "TRANSLATION_MODEL", ""),
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": instructions},
            {
                "role": "user",
                "content": json.dumps({p.key: p.text for p in pieces}, ensure_ascii=False),
            },
        ],
    }
    headers = {"Authorization": f"Bearer {getattr(settings, 'TRANSLATION_API_KEY', '')}"}
    answer = _post(payload, headers)
    try:
        content = answer["choices"][0]["message"]["content"]
        texts = json.loads(content)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise MachineError(_unreadable()) from exc
    if not isinstance(texts, dict):
        raise MachineError(_unreadable())
    return _by_key(pieces, texts)


def _deepl(pieces: list[Piece], *, source: str, target: str) -> dict[str, str]:
    found = {}
    for rich in (False, True):
        group = [p for p in pieces if p.rich == rich]
        if not group:
            continue
        payload = {
            "text": [p.text for p in group],
            "source_lang": source.split("-")[0].upper(),
            "target_lang": DEEPL_TARGETS.get(target, target.upper()),
        }
        if rich:
            payload["tag_handling"] = "html"
        headers = {
            "Authorization": f"DeepL-Auth-Key {getattr(settings, 'TRANSLATION_API_KEY', '')}"
        }
        answer = _post(payload, headers)
        try:
            texts = [item["text"] for item in answer["translations"]]
        except (KeyError, TypeError) as exc:
            raise MachineError(_unreadable()) from exc
        if len(texts) != len(group):
            raise MachineError(_unreadable())
        found |= _by_key(group, dict(zip([p.key for p in group], texts, strict=True)))
    return found


def _by_key(pieces: list[Piece], texts: dict) -> dict[str, str]:
    """Every piece's translation, or MachineError if one is missing or not a string."""
    found = {}
    for piece in pieces:
        value = texts.get(piece.key)
        if not isinstance(value, str):
            raise MachineError(_unreadable())
        found[piece.key] = value
    return found


def _unreadable() -> str:
    return _("The machine translation service's answer could not be read. Nothing was written.")


def _post(payload: dict, headers: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
        settings.TRANSLATION_API_URL,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json", **headers},
        method="POST",
    )
    timeout = float(getattr(settings, "TRANSLATION_TIMEOUT", 20))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(2_000_001)
    except urllib.error.HTTPError as exc:
        raise MachineError(_http_message(exc)) from exc
    except TimeoutError as exc:
        raise MachineError(_timeout_message()) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise MachineError(_timeout_message()) from exc
        raise MachineError(
            _("The machine translation service could not be reached. Nothing was written.")
        ) from exc
    if len(body) > 2_000_000:
        raise MachineError(_unreadable())
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise MachineError(_unreadable()) from exc
    if not isinstance(answer, dict):
        raise MachineError(_unreadable())
    return answer


def _timeout_message() -> str:
    return _(
        "The machine translation service did not answer in time. Nothing was written: try "
        "again later."
    )


def _http_message(exc: urllib.error.HTTPError) -> str:
    try:
        detail = exc.read(4000).decode("utf-8", "replace")
    except OSError:
        detail = ""
    # DeepL answers 456 when the quota is used up; OpenAI-compatible services 429 (rate limit
    # or "insufficient_quota").
    if exc.code in (429, 456) or "quota" in detail.lower():
        return _(
            "The machine translation service refused: its quota or rate limit is reached. "
            "Nothing was written: try again later."
        )
    if exc.code in (401, 403):
        return _(
            "The machine translation service refused the key (HTTP %(status)s): ask the "
            "administrator to check TRANSLATION_API_KEY. Nothing was written."
        ) % {"status": exc.code}
    return _(
        "The machine translation service answered with an error (HTTP %(status)s). Nothing "
        "was written."
    ) % {"status": exc.code}
