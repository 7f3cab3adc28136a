"""Synthetic back issues in the shape of text extracted from a PDF, with the issue they print.

`generate(seed)` makes one issue (the truth: sections, entries, links, cases, commentaries, the
footer and the profiles) from a seeded random generator and prints it the way the extraction of
the firm's PDF shows it: one printed line per line, wrapped at 30 to 45 Chinese characters, a
blank line after each line, a trailing space where a paragraph ends or a line broke at a space
between Latin words, none where it wrapped inside Chinese text, inside a word (after a hyphen) or
inside a URL; pages that break anywhere, each next page starting with a space, each page's link
targets listed at its end (once per printed line of a link); page numbers and running headers.

The content is invented (no text of a real issue); the same seed gives the same issue.
"""

import datetime
import functools
import html
import random
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
NO_LINE_START = set("，。、；：！？）》”’")
NO_LINE_END = set("（《“‘")

WORDS = [
    "人工智能",
    "监管",
    "数据",
    "合规",
    "模型",
    "训练",
    "透明度",
    "义务",
    "平台",
    "用户",
    "隐私",
    "个人信息",
    "版权",
    "作品",
    "法院",
    "原告",
    "被告",
    "企业",
    "开发者",
    "提供者",
    "系统",
    "服务",
    "安全",
    "风险",
    "评估",
    "指引",
    "草案",
    "规则",
    "处罚",
    "罚款",
    "披露",
    "授权",
    "许可",
    "算法",
    "生成式",
    "内容",
    "标识",
    "审查",
    "备案",
    "机构",
    "委员会",
    "政府",
    "议会",
    "法案",
    "条款",
    "要求",
    "措施",
    "程序",
    "责任",
    "赔偿",
    "诉讼",
    "判决",
    "协议",
    "标准",
    "测试",
    "报告",
    "市场",
    "竞争",
    "消费者",
    "儿童",
    "图像",
    "视频",
    "音乐",
    "创作者",
    "数据集",
    "公开",
    "发布",
    "实施",
    "生效",
    "通过",
]
LATIN = [
    "AI",
    "GPT-4o",
    "Claude",
    "OpenAI",
    "Meta",
    "GDPR",
    "API",
    "LLM",
    "DeepMind",
    "Anthropic",
    "Sora",
    "Llama",
    "GitHub",
    "HuggingFace",
    "FP-16",
    "18GB",
    "1080P",
    "NIST",
    "ISO/IEC",
    "BaFin",
    "Garante",
    "Datatilsynet",
    "TradePilot",
    "CogVideoX-2B",
    "SkyReels",
    "Skymusic",
]
PHRASES = [
    "Artificial Intelligence Act",
    "General Data Protection Regulation",
    "Safe and Secure Innovation for Frontier Artificial Intelligence Act",
    "Digital Services Act",
    "Online Safety Bill 2024",
    "The Software Alliance, BSA",
]
FIRMS = [
    ("北京植德律师事务所", "植德", "人工智能与数字经济行业委员会"),
    ("上海示例律师事务所", "示例", "数据合规专业委员会"),
    ("广州明理律师事务所", "明理", "科技与知识产权委员会"),
    ("深圳恒信律师事务所", "恒信", "TMT 行业委员会"),
    ("杭州青禾律师事务所", "青禾", "数字经济研究中心"),
]
GROUPS = ["AIGC 小组", "数据合规组", "知识产权组", "人工智能团队", "TMT 小组", "科技组"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂青山映雪承泽书培怀玉"
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "青岛", "成都"]
SECTION_NAMES = [
    "最新法律与监管动态",
    "最新行业动态",
    "最新司法动态",
    "域外立法动态",
    "国内监管动态",
    "典型案例",
    "行业观察",
]
LINK_LABELS = [
    ("参考链接", "reference"),
    ("起诉状链接", "complaint"),
    ("判决书链接", "other"),
    ("项目主页链接", "other"),
    ("原文链接", "primary"),
    ("HuggingFace 主页链接", "other"),
    ("法案全文链接", "other"),
]
COMMENTARY_SUFFIXES = ["短评", "点评", "评析"]
DOMAINS = [
    "commission.europa.eu",
    "www.example.gov",
    "leginfo.legislature.ca.gov",
    "mp.weixin.qq.com",
    "storage.courtlistener.com",
    "www.bafin.de",
    "news.example-law.cn",
    "arxiv.org",
]
COURTS = ["N.D. Cal.", "S.D.N.Y.", "D. Del.", "C.D. Cal.", "W.D. Wash."]
CN_COURTS = ["北京互联网法院", "杭州互联网法院", "上海市浦东新区人民法院", "广州知识产权法院"]


@dataclass
class Link:
    label: str  # as printed, e.g. "链接", "判决书链接"
    kind: str  # primary, reference, complaint or other
    url: str


@dataclass
class Entry:
    title: str
    date: tuple[int, int, int]
    source: str
    links: list[Link]
    summary: list[str]  # blocks: "text", "1) item" or "a) sub-item"
    case: tuple[str, str, str] | None = None  # caption, docket, court
    case_line: str = ""
    commentary: list[str] | None = None


@dataclass
class Profile:
    name: str
    title: str
    city: str
    phone: str
    email: str
    practice_areas: str
    experience: list[str]
    education: str


@dataclass
class Issue:
    seed: int
    name: str  # the bulletin's, a running header on some pages
    width: int  # display columns of a full line
    spaced: bool  # spaces between Chinese and Latin runs
    firm: str
    team_name: str
    label: str  # the commentary label
    sections: list[tuple[str, list[Entry]]]
    disclaimer: list[str]
    email: str
    group: str
    team: list[str]
    writers: list[str]
    profiles: list[Profile] = field(default_factory=list)
    text: str = ""


def width(text: str) -> int:
    return sum(_char_width(c) for c in text)


@functools.cache
def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


class Writer:
    """Random content in one issue's style."""

    def __init__(self, rnd: random.Random, spaced: bool):
        self.rnd, self.spaced = rnd, spaced

    def join(self, runs: list[str]) -> str:
        """Chinese and Latin runs, with a space between a Chinese and a Latin run if spaced."""
        out = ""
        for run in runs:
            if out and self.spaced and _meet(out[-1], run[0]):
                out += " "
            out += run
        return out

    def chinese(self, n: int) -> str:
        return "".join(self.rnd.choice(WORDS) for _ in range(n))

    def latin(self) -> str:
        roll = self.rnd.random()
        if roll < 0.15:
            return self.rnd.choice(PHRASES)
        if roll < 0.4:
            return str(self.rnd.choice([2024, 2025, 2026, 12, 90, 500, 3.75, "10^26", "13%"]))
        return self.rnd.choice(LATIN)

    def clause(self) -> str:
        runs = []
        for _ in range(self.rnd.randint(1, 4)):
            runs.append(self.chinese(self.rnd.randint(1, 4)))
            if self.rnd.random() < 0.5:
                runs.append(self.latin())
        if self.rnd.random() < 0.2:
            runs.append("（" + self.latin() + "）")
            runs.append(self.chinese(1))
        return self.join(runs)

    def sentence(self, end: str = "。") -> str:
        clauses = [self.clause() for _ in range(self.rnd.randint(1, 4))]
        return "，".join(clauses) + end

    def paragraph(self) -> str:
        return "".join(self.sentence() for _ in range(self.rnd.randint(1, 4)))

    def title(self) -> str:
        return self.join([self.chinese(self.rnd.randint(1, 3)), self.latin()] * 2)[:60].strip()

    def url(self) -> str:
        rnd = self.rnd
        parts = []
        for _ in range(rnd.randint(1, 6)):
            piece = rnd.choice(
                [
                    "-".join(
                        rnd.choice(["ai", "act", "news", "policy", "data", "2024", "08"])
                        for _ in range(rnd.randint(1, 5))
                    ),
                    str(rnd.randint(1, 99999999)),
                    rnd.choice(["docs", "press-releases", "pt-br", "gb_chi", "r06_02"]),
                    "".join(rnd.choice("ABCDEFGHabcdefgh0123456789_-") for _ in range(22)),
                ]
            )
            parts.append(piece)
        url = f"https://{rnd.choice(DOMAINS)}/" + "/".join(parts)
        tail = rnd.random()
        if tail < 0.2:
            url += f".html?DocNum={rnd.randint(1, 9999)}&GA={rnd.randint(1, 200)}"
        elif tail < 0.35:
            url += rnd.choice(["/", ".pdf", "%20complaint.pdf", "-0", "-6/", ".1.0.pdf"])
        return url


def _meet(left: str, right: str) -> bool:
    """A Chinese character next to a Latin one (not to Chinese punctuation)."""
    return bool(
        (IDEOGRAPH.match(left) and not CJK.match(right))
        or (not CJK.match(left) and IDEOGRAPH.match(right))
    )


def _name(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.randint(1, 2)))


def _case(w: Writer) -> tuple[tuple[str, str, str], str]:
    rnd = w.rnd
    party = rnd.choice(["Doe", "Millette", "Bartz", "Andersen", "Concord", "People"])
    other = rnd.choice(["OpenAI, Inc.", "Nvidia Corporation", "Anthropic PBC", "Example AI LLC"])
    caption = f"{party} v. {other}"
    docket = f"{rnd.randint(1, 5)}:{rnd.randint(20, 25)}-cv-{rnd.randint(1000, 99999):05d}"
    court = rnd.choice(COURTS)
    shape = rnd.randrange(4)
    if shape == 0:
        return (caption, docket, court), f"{caption}, {docket}, ({court})"
    if shape == 1:
        return (caption, docket, court), f"{caption} ({docket}), ({court})"
    if shape == 2:
        return (caption, "", ""), caption
    caption = f"{_name(rnd)}诉{rnd.choice(['某科技公司', '某网络公司'])}著作权侵权纠纷案"
    docket = f"（{rnd.randint(2020, 2025)}）京{rnd.randint(100, 9999)}民初{rnd.randint(1, 99999)}号"
    court = rnd.choice(CN_COURTS)
    return (caption, docket, court), f"{caption}，{docket}，{court}"


def _summary(w: Writer) -> list[str]:
    rnd, blocks = w.rnd, [w.paragraph()]
    for _ in range(rnd.randint(0, 3)):
        if rnd.random() < 0.35:
            blocks.append(w.sentence("：").replace("。", "，"))
            for n in range(1, rnd.randint(2, 5)):
                blocks.append(f"{n}) " + w.sentence("；"))
                if rnd.random() < 0.2:
                    blocks += [f"{c}) " + w.sentence("；") for c in "abc"[: rnd.randint(1, 3)]]
        else:
            paragraph = w.paragraph()
            if rnd.random() < 0.15:
                paragraph = paragraph[:-1] + f"，参见 {w.url()} 所列内容。"
            blocks.append(paragraph)
    return blocks


def _entry(w: Writer, year: int, month: int, cases: bool) -> Entry:
    rnd = w.rnd
    links = [Link("链接", "primary", w.url()) for _ in range(rnd.choice([1, 1, 1, 2]))]
    for _ in range(rnd.choice([0, 0, 1, 2])):
        label, kind = rnd.choice(LINK_LABELS)
        if rnd.random() < 0.2:  # "项目主页链接", "Runway 的 HuggingFace 主页链接": any "…链接"
            label, kind = w.join([w.chinese(1), label]), "other"
        links += [Link(label, kind, w.url()) for _ in range(rnd.randint(1, 2))]
    entry = Entry(
        title=w.title(),
        date=(year, month, rnd.randint(1, 28)),
        source=w.join([w.chinese(2), rnd.choice(["官网", "Online 官网", "官方微信公众号"])]),
        links=links,
        summary=_summary(w),
    )
    if cases and rnd.random() < 0.5:
        entry.case, entry.case_line = _case(w)
    if rnd.random() < 0.35:
        entry.commentary = [w.paragraph() for _ in range(rnd.randint(1, 3))]
    return entry


def _profile(w: Writer, name: str, email_domain: str) -> Profile:
    rnd = w.rnd
    return Profile(
        name=name,
        title=rnd.choice(["合伙人", "顾问", "资深律师"]),
        city=rnd.choice(CITIES),
        phone=f"010-{rnd.randint(1000, 9999)} {rnd.randint(1000, 9999)}",
        email=f"p{rnd.randint(10, 99)}@{email_domain}",
        practice_areas="、".join(rnd.sample(["知识产权", "数据合规", "争议解决", "投融资并购"], 3)),
        experience=[w.paragraph() for _ in range(rnd.randint(1, 2))],
        education=f"{rnd.choice(['北京大学', '清华大学', '复旦大学'])}，法学硕士",
    )


def generate(seed: int) -> Issue:
    """The issue of `seed`, with its printed text in `issue.text`."""
    rnd = random.Random(seed)
    w = Writer(rnd, spaced=rnd.random() < 0.8)
    firm, short, team_name = rnd.choice(FIRMS)
    year, month = rnd.randint(2023, 2026), rnd.randint(1, 12)
    label = rnd.choice([short, "本所", "律师", short + "律师"]) + rnd.choice(COMMENTARY_SUFFIXES)
    cases = rnd.random() < 0.6
    names = rnd.sample(SECTION_NAMES, rnd.randint(1, 3))
    sections = [
        (name, [_entry(w, year, month, cases) for _ in range(rnd.randint(1, 6))]) for name in names
    ]
    team = list(dict.fromkeys(_name(rnd) for _ in range(rnd.randint(2, 5))))
    domain = rnd.choice(["example-law.cn", "meritsandtree.com", "mingli.example"])
    issue = Issue(
        seed=seed,
        name=rnd.choice(["示例法律月刊", "人工智能法律月刊", "数据合规简报", "科技法律观察"]),
        width=2 * rnd.randint(30, 45),
        spaced=w.spaced,
        firm=firm,
        team_name=team_name,
        label=label,
        sections=sections,
        disclaimer=[
            "本刊物不代表本所正式法律意见，仅为研究、交流之用。" + w.paragraph(),
            f"如有任何建议、意见或具体问题，欢迎垂询 {'bulletin'}@{domain}。",
        ],
        email=f"bulletin@{domain}",
        group=rnd.choice(GROUPS),
        team=team,
        writers=list(dict.fromkeys(rnd.sample(team, rnd.randint(1, len(team))) + [_name(rnd)])),
    )
    if rnd.random() < 0.6:
        issue.profiles = [_profile(w, name, domain) for name in team[: rnd.randint(1, 2)]]
    issue.text = Printer(issue, rnd).text()
    return issue


# Printing -------------------------------------------------------------------------------------


@dataclass
class Printed:
    text: str
    urls: list[str]  # the URLs this printed line shows part of
    trailing: bool
    columns: int = 0  # the display width of text


@dataclass
class Block:
    """A paragraph to print."""

    text: str
    break_inside: bool = False  # a page break inside it is likely
    break_after: bool = False  # a page break after it is likely


class Printer:
    def __init__(self, issue: Issue, rnd: random.Random):
        self.issue, self.rnd = issue, rnd

    def blocks(self) -> list[Block]:
        issue, out = self.issue, []
        if self.rnd.random() < 0.5:
            out.append(Block("目录"))
            for n, (name, entries) in enumerate(issue.sections):
                out.append(Block(f"{'一二三四五六七八九十'[n]}、{name}"))
                out += [Block(f"{k}. {e.title}") for k, e in enumerate(entries, 1)]
        for n, (name, entries) in enumerate(issue.sections):
            out.append(Block(f"{'一二三四五六七八九十'[n]}、{name}"))
            for k, entry in enumerate(entries, 1):
                out += self.entry_blocks(k, entry)
        out.append(Block("特此声明"))
        out += [Block(p) for p in issue.disclaimer]
        out.append(Block(f"{issue.firm} {issue.team_name}"))
        out.append(
            Block(
                f"{issue.group}："
                + "".join(n + " " * self.rnd.randint(1, 2) for n in issue.team).strip()
            )
        )
        out.append(Block("本期撰写人：" + " ".join(issue.writers)))
        if issue.profiles:
            out.append(Block(f"{issue.firm} {issue.team_name}"))
            out.append(Block(f"{issue.group}合伙人成员介绍"))
            for p in issue.profiles:
                out += [
                    Block(p.name),
                    Block(f"{p.title}/{p.city}"),
                    Block(f"电话：{p.phone}"),
                    Block(f"邮箱：{p.email}"),
                    Block(f"执业领域：{p.practice_areas}"),
                    Block("工作经历："),
                    *[Block(t) for t in p.experience],
                    Block(f"教育背景：{p.education}"),
                ]
        return out

    def entry_blocks(self, k: int, entry: Entry) -> list[Block]:
        y, m, d = entry.date
        date = f"{y} 年 {m} 月 {d} 日" if self.issue.spaced else f"{y}年{m}月{d}日"
        out = [
            Block(f"{k}. {entry.title}"),
            Block(f"发布日期：{date}"),
            Block(f"来源：{entry.source}"),
        ]
        if entry.case_line:
            out.append(Block(f"案件信息：{entry.case_line}", break_inside=True))
        previous = None
        for link in entry.links:
            if link.label != previous:
                out.append(Block(f"{link.label}："))
                previous = link.label
            out.append(Block(f"⚫ {link.url}", break_inside=True))
        out.append(Block("摘要："))
        out += [Block(b) for b in entry.summary]
        if entry.commentary:
            out.append(Block(self.issue.label))
            out += [Block(p) for p in entry.commentary[:-1]]
            out.append(Block(entry.commentary[-1], break_inside=True, break_after=True))
        return out

    def text(self) -> str:
        lines: list[tuple[Printed, bool]] = []  # a printed line, and whether a page ends after it
        for block in self.blocks():
            printed = wrap(block.text, self.issue.width)
            for n, line in enumerate(printed):
                last = n == len(printed) - 1
                chance = 0.03
                if block.break_inside and not last:
                    chance = 0.3
                elif block.break_after and last:
                    chance = 0.4
                lines.append((line, self.rnd.random() < chance))
        return self.pages(lines)

    def pages(self, lines: list[tuple[Printed, bool]]) -> str:
        out: list[str] = []
        page, listed, first = 1, [], True
        numbered = self.rnd.random() < 0.5
        header = self.rnd.random() < 0.3
        for i, (line, ends) in enumerate(lines):
            text = line.text + (" " if line.trailing else "")
            if first and page > 1:
                out.append(" " + text)
            else:
                out.append(text)
            first = False
            listed += line.urls
            if ends or i == len(lines) - 1:
                if numbered:
                    out += ["", f"- {page} -" if page % 2 else str(page)]
                out.append("")
                out += listed
                if listed and self.rnd.random() < 0.3:
                    out.append("")  # a blank line between the list and the next page
                listed, first = [], True
                page += 1
                if header and i < len(lines) - 1:
                    out += [" " + self.issue.name, ""]
                    first = False
            else:
                out.append("")
        return "\n".join(out) + "\n"


def _atoms(text: str) -> list[tuple[str, bool]]:
    """(atom, space before): single Chinese characters (with the punctuation that may not
    start or end a line) and Latin words."""
    atoms: list[tuple[str, bool]] = []
    space, i = False, 0
    while i < len(text):
        char = text[i]
        if char == " ":
            space, i = True, i + 1
            continue
        if CJK.match(char):
            atom, i = char, i + 1
        else:
            j = i
            while j < len(text) and text[j] != " " and not CJK.match(text[j]):
                j += 1
            atom, i = text[i:j], j
        if atoms and not space and (atom[0] in NO_LINE_START or atoms[-1][0][-1] in NO_LINE_END):
            atoms[-1] = (atoms[-1][0] + atom, atoms[-1][1])
        else:
            atoms.append((atom, space))
        space = False
    return atoms


def wrap(text: str, columns: int) -> list[Printed]:
    """The printed lines of a paragraph, as the PDF's line breaker makes them."""
    lines: list[Printed] = [Printed("", [], False)]

    def put(piece: str, atom: str, new_line: bool) -> None:
        if new_line:
            lines.append(Printed("", [], False))
        lines[-1].text += piece
        lines[-1].columns += width(piece)
        if atom.startswith("http") and atom not in lines[-1].urls:
            lines[-1].urls.append(atom)

    for atom, space in _atoms(text):
        current, used = lines[-1].text, lines[-1].columns
        gap = " " if space and current else ""
        if used + len(gap) + width(atom) <= columns:
            put(gap + atom, atom, False)
            continue
        head = _breakable_head(atom, columns - used - len(gap), columns)
        if head:
            put(gap + head, atom, False)
        else:
            # A break at a space between Latin words keeps the space; between Chinese and Latin
            # text, or inside Chinese text, there is none.
            lines[-1].trailing = bool(space and not CJK.match(current[-1:] or "a"))
            lines[-1].trailing &= not CJK.match(atom[0])
        rest = atom[len(head) :]
        while width(rest) > columns:
            piece = _breakable_head(rest, columns, columns) or rest[: columns // 2]
            put(piece, atom, True)
            rest = rest[len(piece) :]
        put(rest, atom, True)
    lines[-1].trailing = True
    return [line for line in lines if line.text]


def _breakable_head(atom: str, room: int, columns: int) -> str:
    """The part of a Latin word that fits in `room` columns where the line breaker may cut it:
    anywhere in a URL or a word longer than a line, after a hyphen otherwise."""
    if room <= 0 or CJK.match(atom[0]):
        return ""
    if atom.startswith("http") or width(atom) > columns:
        head = ""
        for char in atom:
            if width(head + char) > room:
                break
            head += char
        return head if len(head) < len(atom) else ""
    cut = max(
        (i + 1 for i, c in enumerate(atom) if c == "-" and width(atom[: i + 1]) <= room), default=0
    )
    return atom[:cut] if 0 < cut < len(atom) else ""


# Checking a parse against the truth ------------------------------------------------------------


class _Blocks(HTMLParser):
    """The paragraphs of rich text as the source printed them: "1) …" and "a) …" for list items."""

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self.lists: list[list] = []  # [type, next number]
        self.marker = ""
        self.text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ol":
            self.lists.append(
                ["a" if attrs.get("type") == "a" else "1", int(attrs.get("start", 1))]
            )
        elif tag == "ul":
            self.lists.append(["•", 1])
        elif tag == "li":
            kind, number = self.lists[-1]
            self.lists[-1][1] += 1
            self.marker = {"1": f"{number}) ", "a": f"{chr(96 + number)}) "}.get(kind, "• ")
        elif tag == "p":
            self.text = []

    def handle_endtag(self, tag):
        if tag in ("ol", "ul"):
            self.lists.pop()
        elif tag == "p" and self.text is not None:
            self.blocks.append(self.marker + "".join(self.text))
            self.marker, self.text = "", None

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def blocks_of(html: str) -> list[str]:
    parser = _Blocks()
    parser.feed(html or "")
    return parser.blocks


def _norm(text: str, spaced: bool | None) -> str:
    """Runs of white space as one space; without spaces between Chinese and Latin text where the
    issue has none; without any white space if `spaced` is None."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if spaced is None:
        return text.replace(" ", "")
    if not spaced:  # a space between Chinese and Latin text is not the source's to keep
        text = re.sub(rf"(?<={CJK.pattern}) | (?={CJK.pattern})", "", text)
    return text


def mismatches(
    issue: Issue, document: dict, unplaced: list, *, spaces: bool = True
) -> list[tuple[str, object, object]]:
    """(field, expected, found) for every field of the truth that the parse did not give back;
    with `spaces` False, white space aside."""
    out: list[tuple[str, object, object]] = []
    spaced = issue.spaced if spaces else None

    def check(name: str, expected, found) -> None:
        if isinstance(expected, str):
            expected, found = _norm(expected, spaced), _norm(found, spaced)
        elif isinstance(expected, list) and all(isinstance(e, str) for e in expected):
            expected = [_norm(e, spaced) for e in expected]
            found = [_norm(f, spaced) for f in found or []]
        if expected != found:
            out.append((name, expected, found))

    sections = document["issue"]["sections"]
    check("sections", [name for name, _e in issue.sections], [s["title"] for s in sections])
    for (_name, entries), section in zip(issue.sections, sections, strict=False):
        check("entries", len(entries), len(section["entries"]))
        for truth, found in zip(entries, section["entries"], strict=False):
            _check_entry(check, truth, found)
    bulletin = document["bulletin"]
    check("disclaimer", issue.disclaimer, blocks_of(bulletin.get("disclaimer", "")))
    check("contact_email", issue.email, bulletin.get("contact_email", ""))
    check("firm_name", issue.firm, bulletin.get("firm_name", ""))
    check("team_name", issue.team_name, bulletin.get("team_name", ""))
    check("team", issue.team, bulletin.get("team", []))
    check("writers", issue.writers, document["issue"].get("writers", []))
    authors = {a["name"]: a for a in document["authors"]}
    for profile in issue.profiles:
        author = authors.get(profile.name, {})
        check("profile title", profile.title, author.get("title", ""))
        check("profile office_city", profile.city, author.get("office_city", ""))
        check("profile phone", profile.phone, author.get("phone", ""))
        check("profile email", profile.email, author.get("email", ""))
        check("profile practice_areas", profile.practice_areas, author.get("practice_areas", ""))
        check("profile experience", profile.experience, blocks_of(author.get("experience", "")))
        check("profile education", profile.education, author.get("education", ""))
    check("unplaced lines", [], [u.text for u in unplaced])
    return out


def _check_entry(check, truth: Entry, found: dict) -> None:
    check("entry title", truth.title, found["title"])
    check("published_on", datetime.date(*truth.date).isoformat(), found["published_on"] or "")
    check("source", truth.source, found["source"])
    caption, docket, court = truth.case or ("", "", "")
    check("case_caption", caption, found["case_caption"])
    check("docket_number", docket, found["docket_number"])
    check("court", court, found["court"])
    check(
        "links",
        [(link.kind, link.label if link.kind == "other" else "", link.url) for link in truth.links],
        [(link["kind"], link["label"], link["url"]) for link in found["links"]],
    )
    check("summary", truth.summary, blocks_of(found["summary"]))
    inline = re.compile(r'href="([^"]+)"')
    check(
        "summary links",
        re.findall(r"https?://[^\s，。]+", " ".join(truth.summary)),
        [html.unescape(url) for url in inline.findall(found["summary"])],
    )
    commentary = (found.get("commentary") or {}).get("body")
    check("commentary", truth.commentary or [], blocks_of(commentary or ""))
