"""What a PDF's type says about its lines: each printed line's size, weight and place on the page,
read from the text runs (pypdf's visitor: the font of each run and its text matrix).

From them pdf.py learns what the words alone may not say: the page furniture (running headers
and footers, page numbers) is what stands in the same band at the top or the bottom of most
pages, apart from the text; a section heading is set larger than the entry titles under it, an
entry title (bold or larger than the text) is followed by the entry's labels, and a label is the
bold start of a line ("发布日期 2024 年 8 月 1 日") or a bold word alone on its line ("链接").
"""

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|extrabold|ultrabold", re.IGNORECASE)
BAND = 2.0  # points: lines this close in height stand in the same band
LARGER = 1.15  # a heading is set this much larger than the text (or bold)


@dataclass
class Run:
    text: str
    x: float
    y: float
    size: float  # the effective size, in points
    bold: bool


@dataclass
class Printed:
    """A printed line: its runs left to right."""

    y: float
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def key(self) -> str:
        return squeezed(self.text)

    @property
    def size(self) -> float:
        return max((run.size for run in self.runs if run.text.strip()), default=0.0)

    @property
    def bold(self) -> bool:
        """Every character set bold."""
        return all(run.bold for run in self.runs if run.text.strip())

    def bold_start(self) -> tuple[str, str] | None:
        """(label, rest) when the line starts bold and goes on in another weight."""
        inked = [run for run in self.runs if run.text.strip()]
        head = []
        for run in inked:
            if not run.bold:
                break
            head.append(run)
        if not head or len(head) == len(inked):
            return None
        label = "".join(run.text for run in head).strip()
        rest = "".join(run.text for run in inked[len(head) :]).strip()
        return (label, rest) if label and rest else None


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_bold(font) -> bool:
    """A bold font: by its name, its weight or its ForceBold flag (in the font or its CID font)."""
    try:
        fonts = [font, *[f.get_object() for f in font.get("/DescendantFonts") or []]]
        for each in fonts:
            if BOLD_NAME.search(str(each.get("/BaseFont", ""))):
                return True
            descriptor = each.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if float(descriptor.get("/FontWeight", 400)) >= 600:
                return True
            if int(descriptor.get("/Flags", 0)) & (1 << 18):
                return True
    except Exception:  # noqa: BLE001 - a damaged font dict: read as regular
        return False
    return False


def printed_lines(page) -> list[Printed]:
    """The page's printed lines, top to bottom."""
    runs: list[Run] = []
    weights: dict[int, bool] = {}

    def visit(text, cm, tm, font, size):
        if not text or not text.strip("\n") or font is None:
            return
        a, b, c, d, e, f = (float(v) for v in cm)
        x, y = float(tm[4]) * a + float(tm[5]) * c + e, float(tm[4]) * b + float(tm[5]) * d + f
        scale = (
            (float(tm[2]) * a + float(tm[3]) * c) ** 2 + (float(tm[2]) * b + float(tm[3]) * d) ** 2
        ) ** 0.5
        if id(font) not in weights:
            weights[id(font)] = is_bold(font)
        for piece in text.split("\n"):
            if piece.strip():
                runs.append(Run(piece, x, y, round(float(size) * scale, 1), weights[id(font)]))

    page.extract_text(visitor_text=visit)
    lines: list[Printed] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if lines and abs(lines[-1].y - run.y) <= max(1.0, 0.3 * run.size):
            lines[-1].runs.append(run)
        else:
            lines.append(Printed(run.y, [run]))
    for line in lines:
        line.runs.sort(key=lambda r: r.x)
    return lines


def match(layout: list[str], printed: list[Printed]) -> list[Printed | None]:
    """The printed line of each line of the layout text (None for a blank line or one not found):
    both run top to bottom, so each is looked for a few lines after the last one found."""
    found: list[Printed | None] = []
    j = 0
    for text in layout:
        key = squeezed(text)
        hit = None
        if key:
            for k in range(j, min(j + 8, len(printed))):
                if printed[k].key == key:
                    hit, j = printed[k], k + 1
                    break
        found.append(hit)
    return found


def furniture(pages: list[list[Printed]]) -> set[int]:
    """The ids of the printed lines in a band at the top or the bottom of most pages (at least two)
    that stands apart from the text (further from the next line than the text's lines are from
    each other) and is set no larger than the text: running headers, footers and page numbers,
    whatever their words. A heading that opens many pages stands there too, but larger."""
    least = max(2, len(pages) // 2 + 1)
    pitch, body = _pitch(pages), body_size(pages)
    dropped: set[int] = set()
    for edge in (0, -1):  # the top, then the bottom
        outer = [lines[edge] for lines in pages if lines and lines[edge].size <= body]
        apart = Counter(
            round(lines[edge].y / BAND)
            for lines in pages
            if len(lines) > 1 and _apart(lines, edge, pitch) and lines[edge].size <= body
        )
        for line in outer:  # in a band found apart on most pages, even where the text comes close
            band = round(line.y / BAND)
            if apart[band - 1] + apart[band] + apart[band + 1] >= least:
                dropped.add(id(line))
    return dropped


def _pitch(pages: list[list[Printed]]) -> float:
    """The usual distance between two lines of text."""
    gaps = [
        round(a.y - b.y, 1)
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if 0 < a.y - b.y < 60
    ]
    return statistics.median(gaps) if gaps else 14.0


def _apart(lines: list[Printed], edge: int, pitch: float) -> bool:
    neighbour = lines[1] if edge == 0 else lines[-2]
    return abs(lines[edge].y - neighbour.y) > 1.3 * pitch


def body_size(pages: list[list[Printed]]) -> float:
    """The size most characters are set in."""
    sizes = Counter()
    for lines in pages:
        for line in lines:
            for run in line.runs:
                sizes[run.size] += len(run.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def stands_out(line: Printed, body: float) -> bool:
    """Set bold or larger than the text: a heading, a title or a label."""
    return bool(line.runs) and (line.bold or line.size >= body * LARGER)
