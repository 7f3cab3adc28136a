"""The share card of a published issue: a 1200×630 PNG (og:image) drawn from the issue's title,
its bulletin's name and its publication date in the Noto CJK fonts, kept in default storage under
the hash of what it shows, so a changed title makes a new address and an old one can be cached
for ever."""

import contextlib
import datetime
import functools
import hashlib
import io
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.db.models.fields.json import KT
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from bulletin import selectors
from bulletin.caching import public_cache_version
from bulletin.identity import PNG_TYPE
from bulletin.selectors import publication_list_current

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
CARD_VERSION = 1  # bump when the drawing changes: every key changes with it
MARGIN = 72
TITLE_SIZES = range(80, 51, -4)  # 80 px down to 52 px
TITLE_TOP, TITLE_BOTTOM = 160, 500
LINE_HEIGHT = 1.3
ELLIPSIS = "…"
BACKGROUND, ACCENT, INK, MUTED = "#14283f", "#c8a24a", "#ffffff", "#c9d3df"
# Closing punctuation stays with the character before it, opening with the one after it.
CLOSING = set("，。、；：？！）》」』】〉”’,.;:?!)]}%")
OPENING = set("（《「『【〈“‘([{")


@dataclass(frozen=True)
class CardSource:
    """What a card shows."""

    bulletin_slug: str
    slug: str
    title: str
    bulletin_name: str
    date_label: str


def _font_path(weight: str) -> Path:
    return Path(settings.CARD_FONT_DIR) / f"NotoSansCJK-{weight}.ttc"


@functools.cache
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK in its Simplified Chinese face (a .ttc holds one face per region)."""
    path = _font_path(weight)
    for index in range(10):
        font = ImageFont.truetype(str(path), size, index=index)
        if font.getname()[0].endswith(" SC"):
            return font
    return ImageFont.truetype(str(path), size)


def is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def tokens(text: str) -> list[str]:
    """Units no line break may split: a CJK character, or a Latin word with its spaces before
    it; punctuation is glued to the unit it belongs to."""
    units: list[str] = []
    for match in re.finditer(r"\s*(?:[^\s]|$)", text):
        part = match.group()
        if not part:
            continue
        char = part[-1]
        joins_word = (
            units
            and not part[0].isspace()
            and not is_cjk(char)
            and not is_cjk(units[-1][-1])
            and units[-1][-1] not in CLOSING
        )
        glued = units and not part[0].isspace() and (char in CLOSING or units[-1][-1] in OPENING)
        if joins_word or glued:
            units[-1] += part
        else:
            units.append(part)
    return units


def _width(font, text: str) -> float:
    return font.getlength(text)


def _split_long(font, unit: str, limit: float) -> list[str]:
    """A unit wider than a line (a long address) broken wherever it must be."""
    pieces, current = [], ""
    for char in unit:
        if current and _width(font, current + char) > limit:
            pieces.append(current)
            current = char.lstrip()
        else:
            current += char
    return [*pieces, current] if current else pieces


def wrap(font, text: str, limit: float) -> list[str]:
    """Lines of at most `limit` pixels: breaks between CJK characters and between words, never
    inside a word that fits on a line, and no CJK character alone on the last line."""
    lines: list[list[str]] = [[]]
    for unit in tokens(text):
        for piece in _split_long(font, unit, limit) if _width(font, unit) > limit else [unit]:
            line = lines[-1]
            if line and _width(font, "".join(line) + piece) > limit:
                lines.append([piece.lstrip()])
            else:
                line.append(piece if line else piece.lstrip())
    _keep_last_two(font, lines, limit)
    return ["".join(line) for line in lines if line]


def _keep_last_two(font, lines: list[list[str]], limit: float) -> None:
    last = lines[-1]
    if len(lines) < 2 or len(last) != 1 or not is_cjk(last[0].strip()[:1] or "a"):
        return
    previous = lines[-2]
    if len(previous) > 1 and _width(font, previous[-1] + "".join(last)) <= limit:
        last.insert(0, previous.pop())


def _fit_title(title: str, limit: float) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the title fits; at the smallest, cut with an ellipsis."""
    for size in TITLE_SIZES:
        font = _font("Bold", size)
        lines = wrap(font, title, limit)
        if len(lines) <= _max_lines(size):
            return font, lines
    keep = lines[: _max_lines(size)]
    last = keep[-1]
    while last and _width(font, last + ELLIPSIS) > limit:
        last = last[:-1]
    keep[-1] = last.rstrip() + ELLIPSIS
    return font, keep


def _max_lines(size: int) -> int:
    return int((TITLE_BOTTOM - TITLE_TOP) // (size * LINE_HEIGHT))


def _paste_mark(image: Image.Image, mark: bytes | Path) -> None:
    data = mark.read_bytes() if isinstance(mark, Path) else mark
    with Image.open(io.BytesIO(data)) as source:
        logo = source.convert("RGBA")
    logo.thumbnail((160, 110))
    image.paste(logo, (WIDTH - MARGIN - logo.width, MARGIN - 16), logo)


def render_card(
    *, title: str, bulletin_name: str, date_label: str, mark: bytes | Path | None = None
) -> bytes:
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
    name_limit = WIDTH - 2 * MARGIN - (180 if mark else 0)
    name_lines = wrap(_font("Regular", 36), bulletin_name, name_limit) or [""]
    name = name_lines[0] + (ELLIPSIS if len(name_lines) > 1 else "")
    draw.text((MARGIN, MARGIN), name, font=_font("Regular", 36), fill=ACCENT)
    if mark:
        _paste_mark(image, mark)
    font, lines = _fit_title(title, WIDTH - 2 * MARGIN)
    step = font.size * LINE_HEIGHT
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - step * len(lines)) / 2
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * step), line, font=font, fill=INK)
    draw.text((MARGIN, HEIGHT - MARGIN - 32), date_label, font=_font("Regular", 30), fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def card_mark_version() -> str:
    """The version of the firm's mark drawn on every card: only a PNG mark is drawn (Pillow does
    not draw SVG), and the page cache holds it, so naming the card costs no query."""
    firm = selectors.firm_public()
    return firm.mark_version if firm.mark_type == PNG_TYPE else ""


def card_key(source: CardSource, mark_hash: str = "") -> str:
    """The hash of everything the card shows: its address and its file name."""
    parts = [CARD_VERSION, source.title, source.bulletin_name, source.date_label, mark_hash]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:20]


def card_png(source: CardSource) -> tuple[str, bytes]:
    """The card's key and PNG, drawn once and then read from storage."""
    mark_version = card_mark_version()
    key = card_key(source, mark_version)
    name = f"cards/{key}.png"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return key, stored.read()
    mark = selectors.firm_mark() if mark_version else None
    mark = mark[0] if mark else None
    png = render_card(
        title=source.title,
        bulletin_name=source.bulletin_name,
        date_label=source.date_label,
        mark=mark,
    )
    if not default_storage.exists(name):  # another request may have drawn it meanwhile
        default_storage.save(name, ContentFile(png))
    return key, png


def date_label(when: datetime.datetime | datetime.date, language: str) -> str:
    """The publication date as the bulletin's readers write it."""
    if isinstance(when, datetime.datetime):
        when = timezone.localtime(when)
    if language.startswith("zh"):
        return f"{when.year} 年 {when.month} 月 {when.day} 日"
    return when.strftime("%-d %B %Y")


def card_url(source: CardSource) -> str:
    """The card's absolute address (for og:image and JSON-LD)."""
    path = reverse(
        "issue_card",
        kwargs={
            "bulletin": source.bulletin_slug,
            "slug": source.slug,
            "key": card_key(source, card_mark_version()),
        },
    )
    return settings.SITE_URL + path


def card_source_from_content(content: dict) -> CardSource:
    """The card of an issue page's published content."""
    bulletin = content["bulletin"]
    return CardSource(
        bulletin_slug=bulletin["slug"],
        slug=content["slug"],
        title=content["title"],
        bulletin_name=bulletin["name"],
        date_label=date_label(content["published_at"], bulletin["language"]),
    )


def latest_card_source() -> CardSource | None:
    """The latest public issue's card, the og:image of pages without an issue of their own:
    cached with the public pages (a publication drops it); None while nothing is published, or
    while the database cannot be read (a sign-in page still renders)."""
    key = f"latest-card:{public_cache_version()}"
    with contextlib.suppress(Exception):  # the cache is down: read the database
        cached = cache.get(key)
        if cached is not None:
            return cached or None
    try:
        source = card_source()
    except Http404:
        source = None
    except DatabaseError:
        logger.warning("latest issue's card unavailable", exc_info=True)
        return None
    with contextlib.suppress(Exception):
        cache.set(key, source or "", timeout=60 * 60)
    return source


def card_source(**issue_filters) -> CardSource:
    """The card of one public issue (the latest, or the one the filters on Issue name), read
    from its current publication (never a draft's title), or 404."""
    publication = (
        publication_list_current(**issue_filters)
        .annotate(language=KT("content__bulletin__language"))
        .first()
    )
    if publication is None:
        raise Http404
    return CardSource(
        bulletin_slug=publication.bulletin_slug,
        slug=publication.slug,
        title=publication.title,
        bulletin_name=publication.bulletin_name,
        date_label=date_label(publication.issue.published_at, publication.language),
    )
