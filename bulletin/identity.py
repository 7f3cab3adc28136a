"""The firm's identity: its mark made safe to serve, its colour checked for contrast, and the one
service that writes it.

An uploaded mark is never served as uploaded. An SVG is parsed with defusedxml (no DTD, so no
entity expansion) and rebuilt from an allow-list of elements and attributes: no script, no event
handler, no style, no reference outside the document. A PNG is decoded and encoded again by
Pillow, which drops its metadata chunks."""

import contextlib
import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only builds and writes; parsing is defusedxml
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from bulletin.caching import public_cache_drop
from bulletin.models import FirmIdentity
from bulletin.pages import pages_refresh_all
from bulletin.roles import Role, require

SVG_MAX_BYTES = 100 * 1024
PNG_MAX_BYTES = 1024 * 1024
MAX_PIXELS_SIDE = 2000
MIN_CONTRAST = 4.5
PAGE_BACKGROUND = "#ffffff"
SVG_TYPE = "image/svg+xml"
PNG_TYPE = "image/png"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "title", "desc", "defs", "linearGradient", "radialGradient", "stop", "clipPath",
    "mask", "use", "symbol",
}  # fmt: skip
SVG_ATTRIBUTES = {
    "id", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy",
    "width", "height", "viewBox", "preserveAspectRatio", "points", "transform", "version",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "opacity",
    "clip-rule", "clip-path", "mask", "offset", "stop-color", "stop-opacity", "gradientUnits",
    "gradientTransform", "spreadMethod", "clipPathUnits", "maskUnits", "font-family",
    "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
    "letter-spacing", "role", "aria-label", "aria-hidden",
}  # fmt: skip
LOCAL_REFERENCE = re.compile(r"#[A-Za-z_][\w.-]*")
URL_VALUE = re.compile(r"url\(\s*['\"]?([^)'\"]*)['\"]?\s*\)", re.IGNORECASE)
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


@dataclass
class Mark:
    content: bytes
    content_type: str


def mark_clean(data: bytes) -> Mark:
    """The uploaded mark made safe, or ValidationError: an SVG rebuilt from the allow-list, or a
    PNG encoded again without its metadata."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Mark(png_clean(data), PNG_TYPE)
    return Mark(svg_clean(data), SVG_TYPE)


def svg_clean(data: bytes) -> bytes:
    """The SVG rebuilt from allowed elements and attributes only."""
    if len(data) > SVG_MAX_BYTES:
        raise ValidationError(_("An SVG mark may be at most 100 KB."))
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise ValidationError(_("The mark is neither a PNG nor a well-formed SVG.")) from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ValidationError(_("The mark is neither a PNG nor a well-formed SVG."))
    clean = _svg_copy(root)
    return ET.tostring(clean, encoding="utf-8", xml_declaration=False)


def _svg_copy(element: ET.Element) -> ET.Element:
    name = element.tag.removeprefix(f"{{{SVG_NS}}}")
    copy = ET.Element(f"{{{SVG_NS}}}{name}")
    for key, value in element.attrib.items():
        allowed = _svg_attribute(key, value)
        if allowed:
            copy.set(*allowed)
    copy.text = element.text if name in {"text", "tspan", "title", "desc"} else None
    for child in element:
        # Comments, processing instructions and elements of other namespaces (foreignObject's
        # HTML, say) are left out with everything inside them.
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag.startswith(f"{{{SVG_NS}}}") and tag.removeprefix(f"{{{SVG_NS}}}") in SVG_ELEMENTS:
            kept = _svg_copy(child)
            kept.tail = child.tail if name in {"text", "tspan"} else None
            copy.append(kept)
    return copy


def _svg_attribute(key: str, value: str) -> tuple[str, str] | None:
    """The attribute as kept, or None: hrefs only to an #id of the document, url() only to an
    #id, nothing that names a script."""
    if key in ("href", f"{{{XLINK_NS}}}href"):
        return (key, value) if LOCAL_REFERENCE.fullmatch(value.strip()) else None
    if key not in SVG_ATTRIBUTES:
        return None
    lowered = value.lower()
    if "javascript:" in lowered or "expression(" in lowered or "@import" in lowered:
        return None
    if any(not LOCAL_REFERENCE.fullmatch(target.strip()) for target in URL_VALUE.findall(value)):
        return None
    if "url(" in lowered and not URL_VALUE.search(value):
        return None
    return key, value


def png_clean(data: bytes) -> bytes:
    """The PNG decoded and encoded again: pixels only, no text or EXIF chunks."""
    if len(data) > PNG_MAX_BYTES:
        raise ValidationError(_("A PNG mark may be at most 1 MB."))
    too_large = ValidationError(_("A PNG mark may be at most 2000 × 2000 pixels."))
    try:
        image = Image.open(io.BytesIO(data))
        # The header gives the size before any pixel is decoded: a decompression bomb stops here
        # (or in Pillow's own check, for the largest).
        if max(image.size) > MAX_PIXELS_SIDE:
            raise too_large
        pixels = image.convert("RGBA")
    except Image.DecompressionBombError as exc:
        raise too_large from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("The mark is neither a PNG nor a well-formed SVG.")) from exc
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colour_clean(colour: str) -> str:
    """The brand colour as #rrggbb, or ValidationError: it colours links and buttons on white, so
    it must be readable there (WCAG AA, 4.5:1)."""
    colour = colour.strip()
    if not HEX_COLOUR.fullmatch(colour):
        raise ValidationError(_("Give the colour as a hex value such as #7a1f2b."))
    for background in {"#ffffff", PAGE_BACKGROUND}:
        ratio = contrast_ratio(colour, background)
        if ratio < MIN_CONTRAST:
            raise ValidationError(
                _(
                    "This colour is too light to read on the page (contrast %(ratio).1f:1; "
                    "at least 4.5:1 is needed). Choose a darker shade."
                )
                % {"ratio": ratio}
            )
    return colour.lower()


IDENTITY_FIELDS = [
    "name",
    "name_en",
    "colour",
    "address",
    "address_en",
    "phone",
    "email",
    "website",
    "disclaimer",
    "disclaimer_en",
    "privacy_url",
]


@transaction.atomic
def firm_identity_save(
    *, user, mark: bytes | None = None, remove_mark: bool = False, **fields: str
) -> FirmIdentity:
    """Write the firm's identity (publishers only). `mark` replaces the mark after sanitizing;
    the public pages, which show it, are dropped from the cache on commit."""
    require(user, Role.PUBLISHER)
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    identity = FirmIdentity.objects.select_for_update().filter(pk=1).first() or FirmIdentity()
    for name, value in fields.items():
        setattr(identity, name, value)
    try:
        identity.colour = colour_clean(identity.colour)
    except ValidationError as exc:
        raise ValidationError({"colour": exc.messages}) from exc
    if mark:
        try:
            cleaned = mark_clean(mark)
        except ValidationError as exc:
            raise ValidationError({"mark": exc.messages}) from exc
        identity.mark, identity.mark_type = cleaned.content, cleaned.content_type
    elif remove_mark:
        identity.mark, identity.mark_type = b"", ""
    identity.full_clean()
    identity.save()
    transaction.on_commit(_drop_cached_pages)
    pages_refresh_all()
    return identity


def _drop_cached_pages() -> None:
    # The cache is down: nothing cached to drop.
    with contextlib.suppress(Exception):
        public_cache_drop()


# Icons: a PNG mark is scaled onto a white square; otherwise (no mark, or an SVG, which Pillow
# cannot draw) the icon is the first character of the firm's name on its colour.
MONOGRAM_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
MONOGRAM_FONT_INDEX = 2  # the collection's Simplified Chinese face


def icon_image(*, size: int, colour: str, name: str, png_mark: bytes | None) -> Image.Image:
    """A square icon of `size` pixels for the firm."""
    if png_mark:
        mark = Image.open(io.BytesIO(png_mark)).convert("RGBA")
        mark.thumbnail((size * 7 // 8, size * 7 // 8))
        icon = Image.new("RGBA", (size, size), "#ffffff")
        icon.alpha_composite(mark, ((size - mark.width) // 2, (size - mark.height) // 2))
        return icon
    icon = Image.new("RGBA", (size, size), colour)
    letter = (name.strip() or "§")[0]
    draw = ImageDraw.Draw(icon)
    try:
        font = ImageFont.truetype(MONOGRAM_FONT, int(size * 0.68), index=MONOGRAM_FONT_INDEX)
    except OSError:  # no Noto CJK on this machine
        font = ImageFont.load_default(size=int(size * 0.68))
    draw.text((size / 2, size / 2), letter, fill="#ffffff", font=font, anchor="mm")
    return icon


def icon_png(**kwargs) -> bytes:
    out = io.BytesIO()
    icon_image(**kwargs).save(out, format="PNG", optimize=True)
    return out.getvalue()


def icon_ico(**kwargs) -> bytes:
    out = io.BytesIO()
    icon_image(size=48, **kwargs).save(out, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return out.getvalue()
