"""Where a text says a law applies: a catalogue of jurisdictions (countries and regions, the
subdivisions of the United States, China, Canada and Australia, international bodies) with their
Chinese and English names and common short forms, and the suggestions it makes for a text.

Countries and subdivisions come from ISO 3166 through pycountry, with its Chinese translations;
the short forms a Chinese text uses ("加州", "韩国") and the international bodies are ours. The
most specific place wins: "美国加州" suggests California, not also the United States."""

import gettext
import re
from dataclasses import dataclass
from functools import cache

import pycountry


@dataclass(frozen=True)
class Place:
    code: str  # lower case: "us", "us-ca", "eu"
    name: str  # Chinese
    name_en: str
    kind: str  # as entries.models.Jurisdiction.Kind
    parent: str | None = None
    aliases: tuple[str, ...] = ()


SUBDIVIDED = ["US", "CN", "CA", "AU"]
# ISO lists Hong Kong, Macao and Taiwan both as regions and as subdivisions of China: they are
# kept once, as regions (hk, mo, tw), as the bulletin's own data names them.
REGIONS_OF_CHINA = {"CN-HK": "hk", "CN-MO": "mo", "CN-TW": "tw"}

# The names a Chinese text uses where ISO's translation is the long form; more short forms.
COUNTRY_NAMES = {
    "KR": ("韩国", ("大韩民国", "南韩")),
    "KP": ("朝鲜", ("朝鲜民主主义人民共和国", "北韩")),
    "TW": ("中国台湾", ("台湾", "台灣")),
    "HK": ("中国香港", ("香港", "香港特别行政区", "香港特區")),
    "MO": ("中国澳门", ("澳门", "澳门特别行政区")),
    "IR": ("伊朗", ()),
    "SY": ("叙利亚", ()),
    "BO": ("玻利维亚", ()),
    "VE": ("委内瑞拉", ()),
    "MD": ("摩尔多瓦", ()),
    "LA": ("老挝", ()),
    "RU": ("俄罗斯", ("俄罗斯联邦", "俄")),
    "US": ("美国", ("美利坚合众国", "USA", "U.S.", "US")),
    "GB": ("英国", ("大不列颠及北爱尔兰联合王国", "UK", "U.K.", "Britain")),
    # Chinese authorities and courts name China where a Chinese text does not.
    "CN": (
        "中国",
        ("中华人民共和国", "我国", "PRC", "国家网信办", "网信办", "国务院", "全国人大", "工信部")
        + ("最高人民法院", "人民法院", "互联网法院", "国家标准", "市场监管总局"),
    ),
    "DE": ("德国", ()),
    "FR": ("法国", ()),
    "JP": ("日本", ()),
    "SG": ("新加坡", ()),
    "AE": ("阿联酋", ("阿拉伯联合酋长国", "UAE")),
    "NL": ("荷兰", ()),
    "CH": ("瑞士", ()),
}
# Short forms of subdivisions (ISO's translations are the full names).
SUBDIVISION_ALIASES = {
    # Cities and courts name their state too (the federal districts as the Bluebook writes them).
    "US-CA": (
        "加州",
        "旧金山",
        "洛杉矶",
        "硅谷",
        "N.D. Cal.",
        "C.D. Cal.",
        "S.D. Cal.",
        "E.D. Cal.",
    ),
    "US-TX": ("德州", "德克萨斯州"),
    "US-FL": ("佛州", "佛罗里达州"),
    "US-MA": ("麻省", "麻萨诸塞州", "波士顿", "D. Mass."),
    "US-PA": ("宾州", "宾夕法尼亚州"),
    "US-NY": ("纽约州", "纽约市", "S.D.N.Y.", "E.D.N.Y.", "N.D.N.Y.", "W.D.N.Y."),
    "US-WA": ("华盛顿州", "西雅图", "W.D. Wash."),
    "US-IL": ("伊利诺伊州", "伊州", "芝加哥", "N.D. Ill."),
    "US-DE": ("特拉华州", "D. Del."),
    "US-CO": ("科罗拉多州", "科州"),
    "US-DC": ("华盛顿特区", "哥伦比亚特区"),
    "US-UT": ("犹他州",),
    "US-VA": ("弗吉尼亚州",),
}
# International bodies: (code, Chinese, English, parent, aliases).
BODIES = [
    (
        "eu",
        "欧盟",
        "European Union",
        None,
        ("欧洲联盟", "EU", "欧盟委员会", "欧洲议会", "欧洲理事会"),
    ),
    ("un", "联合国", "United Nations", None, ("UN", "联合国大会")),
    ("unesco", "联合国教科文组织", "UNESCO", "un", ("UNESCO",)),
    ("wipo", "世界知识产权组织", "World Intellectual Property Organization", "un", ("WIPO",)),
    ("who", "世界卫生组织", "World Health Organization", "un", ("世卫组织", "WHO")),
    ("itu", "国际电信联盟", "International Telecommunication Union", "un", ("国际电联", "ITU")),
    ("unctad", "联合国贸易和发展会议", "UNCTAD", "un", ("联合国贸发会议", "UNCTAD")),
    ("uncitral", "联合国国际贸易法委员会", "UNCITRAL", "un", ("UNCITRAL",)),
    ("wto", "世界贸易组织", "World Trade Organization", None, ("世贸组织", "WTO")),
    ("oecd", "经济合作与发展组织", "OECD", None, ("经合组织", "OECD")),
    ("coe", "欧洲委员会", "Council of Europe", None, ("Council of Europe",)),
    ("g7", "七国集团", "G7", None, ("G7",)),
    ("g20", "二十国集团", "G20", None, ("G20",)),
    ("asean", "东南亚国家联盟", "ASEAN", None, ("东盟", "ASEAN")),
    ("apec", "亚太经济合作组织", "APEC", None, ("亚太经合组织", "APEC")),
    ("african-union", "非洲联盟", "African Union", None, ("非盟",)),
    ("nato", "北大西洋公约组织", "NATO", None, ("北约", "NATO")),
]


# Names that end a common word before them: "法国" in "宪法国家" is no country.
NOT_AFTER = {"法国": "宪立司执方合违算办民刑商税依守护章非"}


def _translation(domain: str):
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def _short(name: str) -> str | None:
    """A province or state without its suffix ("四川省" → "四川"), when that leaves a name."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市", "州"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@cache
def places() -> dict[str, Place]:
    """Every place of the catalogue, by code."""
    countries, subdivisions = _translation("iso3166-1"), _translation("iso3166-2")
    found: dict[str, Place] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        name, aliases = COUNTRY_NAMES.get(code, (countries.gettext(country.name), ()))
        english = getattr(country, "common_name", None) or country.name
        aliases = (*aliases, countries.gettext(country.name), english)
        found[code.lower()] = Place(code.lower(), name, english, "country", None, aliases)
    for country in SUBDIVIDED:
        for sub in pycountry.subdivisions.get(country_code=country):
            if sub.code in REGIONS_OF_CHINA or sub.parent_code:
                continue  # Hong Kong and the others are regions above; no second level
            name = subdivisions.gettext(sub.name)
            english = sub.name.removesuffix(" Sheng").removesuffix(" Shi")
            aliases = (*SUBDIVISION_ALIASES.get(sub.code, ()), sub.name, english)
            if country != "US" and (short := _short(name)):
                aliases += (short,)
            code = sub.code.lower()
            found[code] = Place(code, name, english, "subdivision", country.lower(), aliases)
    for code, name, english, parent, aliases in BODIES:
        found[code] = Place(code, name, english, "supranational", parent, (*aliases, english))
    return found


@cache
def _names() -> tuple[re.Pattern, dict[str, str]]:
    """One pattern of every name and alias (longest first), and the place each one names; a
    name two places share (Georgia, the country and the state) names neither."""
    owner: dict[str, str] = {}
    shared = set()
    for place in places().values():
        for name in {place.name, place.name_en, *place.aliases}:
            if len(name) < 2:
                continue
            if owner.get(name, place.code) != place.code:
                shared.add(name)
            owner[name] = place.code
    for name in shared:
        del owner[name]
    alternatives = []
    for name in sorted(owner, key=len, reverse=True):
        escaped = re.escape(name)
        # Latin names are whole words, in their own case ("EU", not the "eu" of a word).
        if name.isascii():
            escaped = rf"(?<![A-Za-z]){escaped}(?![A-Za-z])"
        elif name in NOT_AFTER:
            escaped = rf"(?<![{NOT_AFTER[name]}]){escaped}"
        alternatives.append(escaped)
    return re.compile("|".join(alternatives)), owner


def suggest(*texts: str) -> list[str]:
    """The codes of the places the texts name, most specific only (a state, not also its
    country; an agency, not also its organisation), in the order first named."""
    pattern, owner = _names()
    named: list[str] = []
    for text in texts:
        for match in pattern.finditer(text or ""):
            code = owner[match.group()]
            if code not in named:
                named.append(code)
    catalogue = places()
    broader = {catalogue[code].parent for code in named} - {None}
    return [code for code in named if code not in broader]


def suggest_entry(*, title: str, source: str, court: str, caption: str, summary: str) -> list[str]:
    """The places an entry is about: those its title, source or court name; only when they name
    none, those of its summary (which also names places it merely mentions)."""
    return suggest(title, source, court, caption) or suggest(summary)
