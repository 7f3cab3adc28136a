"""The demo issue's English edition (bulletin/demo/ai-monthly-2024-08.en.json) translates every
reader-facing text of its issue document, keeps the markup of its rich text element for element,
and leaves no Chinese behind. Plain tests: they read the two files, not the database."""

import json
import re
from html.parser import HTMLParser

import pytest

from bulletin.demo.loader import DEMO_DIR, demo_documents, demo_translations

SOURCE = DEMO_DIR / "ai-monthly-2024-08.json"
ENGLISH = DEMO_DIR / "ai-monthly-2024-08.en.json"

# Han ideographs, with the CJK and full-width punctuation that comes with them (、。《》，：（）);
# the curly quotes “” are general punctuation, ordinary English typography, and allowed. No name
# in the edition is kept in Chinese (people are given in Latin script, products in pinyin), so
# none is allowed at all.
CJK = re.compile("[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Numbers of three or more digits (amounts, bill and article numbers, years, standards) are
# written in figures in both languages; smaller ones may become words ("8 月" is "August"), and
# those counted in 万 or 亿 change figures ("100 万" is "1 million", "70 亿" is "7 billion").
NUMBER = re.compile(r"(?<![\d,.])\d[\d,.]*\d\d(?![\d,.]|\s*[万亿])")

BULLETIN_FIELDS = {"name", "description", "disclaimer", "commentary_label"}
ISSUE_FIELDS = {"title", "volume", "editors_note", "sections"}
ENTRY_FIELDS = {"position", "title", "source", "summary", "links"}
AUTHOR_FIELDS = {
    "name",
    "title",
    "office_city",
    "practice_areas",
    "experience",
    "representative_matters",
    "honours",
    "education",
}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def source():
    return load(SOURCE)


@pytest.fixture(scope="module")
def english():
    return load(ENGLISH)


def entries(document):
    """(section position, entry position) → entry, in reading order."""
    return {
        (section["position"], entry["position"]): entry
        for section in document["issue"]["sections"]
        for entry in section["entries"]
    }


def source_tags(source):
    return {tag for entry in entries(source).values() for tag in entry["tags"]}


def pairs(source, english):
    """Every translated text as (where, Chinese, English)."""
    found = [
        (f"bulletin.{name}", source["bulletin"][name], english["bulletin"][name])
        for name in sorted(BULLETIN_FIELDS)
    ]
    found += [
        (f"issue.{name}", source["issue"][name], english["issue"][name])
        for name in sorted(ISSUE_FIELDS - {"sections"})
    ]
    for section, translated in zip(
        source["issue"]["sections"], english["issue"]["sections"], strict=True
    ):
        found.append((f"section {section['position']}", section["title"], translated["title"]))
    english_entries = entries(english)
    for key, entry in entries(source).items():
        found += entry_pairs(key, entry, english_entries[key])
    for author in source["authors"]:
        translated = english["authors"][author["key"]]
        found.append((f"{author['key']}.name", author["name_latin"], translated["name"]))
        found += [
            (f"{author['key']}.{name}", author[name], translated[name])
            for name in sorted(AUTHOR_FIELDS - {"name"})
        ]
    found += [(f"tag {tag}", tag, name) for tag, name in english["tags"].items()]
    found += [
        (f"jurisdiction {j['code']}", j["name"], english["jurisdictions"][j["code"]])
        for j in source["jurisdictions"]
    ]
    return found


def entry_pairs(key, entry, translated):
    where = "entry {}.{}".format(*key)
    found = [
        (f"{where}.{name}", entry[name], translated[name])
        for name in ("title", "source", "summary")
    ]
    if entry["case_caption"]:
        found.append((f"{where}.case_caption", entry["case_caption"], translated["case_caption"]))
    if entry.get("commentary"):
        found.append((f"{where}.commentary", entry["commentary"]["body"], translated["commentary"]))
    labels = {link["position"]: link["label"] for link in translated["links"]}
    found += [
        (f"{where}.link {link['position']}", link["label"], labels[link["position"]])
        for link in entry["links"]
        if link["label"]
    ]
    return found


class Markup(HTMLParser):
    """The element sequence of a piece of rich text: start tags with their attributes (hrefs
    included), and end tags."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(attrs))))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(attrs)), "/"))

    def handle_endtag(self, tag):
        self.tags.append(("/" + tag,))


def test_the_english_edition_names_its_source_and_language(english):
    assert {key: english[key] for key in ("format", "version", "language", "source")} == {
        "format": "bulletin-cms.translation",
        "version": 1,
        "language": "en",
        "source": SOURCE.name,
    }


def test_the_demo_loader_imports_the_issue_documents_but_not_their_translations():
    assert ENGLISH in demo_translations()
    assert ENGLISH not in demo_documents()
    assert SOURCE in demo_documents()


def test_bulletin_and_issue_have_every_field_and_no_other(english):
    assert set(english["bulletin"]) == BULLETIN_FIELDS
    assert set(english["issue"]) == ISSUE_FIELDS


def test_every_section_and_entry_has_its_counterpart_and_nothing_extra(source, english):
    assert [s["position"] for s in english["issue"]["sections"]] == [
        s["position"] for s in source["issue"]["sections"]
    ]
    assert list(entries(english)) == list(entries(source))
    assert len(entries(english)) == 19
    for key, entry in entries(source).items():
        expected = set(ENTRY_FIELDS)
        if entry["case_caption"]:
            expected.add("case_caption")
        if entry.get("commentary"):
            expected.add("commentary")
        assert set(entries(english)[key]) == expected, key


def test_exactly_the_labelled_links_have_a_label(source, english):
    for key, entry in entries(source).items():
        labelled = [link["position"] for link in entry["links"] if link["label"]]
        translated = [link["position"] for link in entries(english)[key]["links"]]
        assert translated == labelled, key
        assert all(link["label"] for link in entries(english)[key]["links"]), key
    assert sum(len(entry["links"]) for entry in entries(english).values()) == 4


def test_every_author_has_every_field_and_the_latin_name(source, english):
    assert set(english["authors"]) == {author["key"] for author in source["authors"]}
    for author in source["authors"]:
        translated = english["authors"][author["key"]]
        assert set(translated) == AUTHOR_FIELDS
        assert translated["name"] == author["name_latin"]
        for name in AUTHOR_FIELDS - {"name"}:
            assert bool(translated[name]) == bool(author[name]), (author["key"], name)


def test_lists_keep_their_items(source, english):
    """Practice areas and degrees are lists (split on separators, one degree a line): the
    English has as many items as the Chinese."""
    for author in source["authors"]:
        translated = english["authors"][author["key"]]
        assert len(translated["education"].splitlines()) == len(author["education"].splitlines())
        assert len(re.split(r"[、,，;；\n]+", translated["practice_areas"])) == len(
            re.split(r"[、,，;；\n]+", author["practice_areas"])
        )


def test_every_tag_used_has_one_english_name_and_no_two_share_it(source, english):
    assert set(english["tags"]) == source_tags(source)
    assert len(set(english["tags"].values())) == len(english["tags"])
    assert all(name.strip() == name and name for name in english["tags"].values())


def test_jurisdictions_are_named_as_the_source_names_them_in_english(source, english):
    assert english["jurisdictions"] == {j["code"]: j["name_en"] for j in source["jurisdictions"]}


def test_rich_text_keeps_the_markup_of_the_source(source, english):
    compared = 0
    for where, chinese, translated in pairs(source, english):
        assert Markup(translated).tags == Markup(chinese).tags, where
        compared += bool(Markup(chinese).tags)
    # The rich texts: disclaimer, editor's note, 19 summaries, 9 commentaries, 5 experiences,
    # 5 lists of matters and 4 of honours.
    assert compared == 2 + 19 + 9 + 5 + 5 + 4


def test_no_chinese_is_left_in_the_english_text(source, english):
    texts = [translated for _, _, translated in pairs(source, english)]
    assert len(texts) > 100
    for where, _, translated in pairs(source, english):
        assert not CJK.findall(translated), (where, CJK.findall(translated))
    # The check sees Chinese where there is some.
    assert CJK.findall(source["issue"]["sections"][0]["entries"][0]["summary"])


def test_what_was_chinese_is_translated_and_what_was_english_is_kept(source, english):
    for where, chinese, translated in pairs(source, english):
        assert bool(translated.strip()) == bool(chinese.strip()), where
        if CJK.search(chinese):
            assert translated != chinese, where
        else:
            # Latin-script captions and tags ("Doe v. Example AI, Inc.", "UK GDPR") and names.
            assert translated == chinese, where


def test_numbers_are_kept(source, english):
    for where, chinese, translated in pairs(source, english):
        for number in NUMBER.findall(chinese):
            assert number in translated, (where, number)
    # The check sees the numbers there are.
    assert NUMBER.findall(source["issue"]["sections"][0]["entries"][1]["summary"]) == [
        "2024",
        "9021",
        "5,000",
    ]


def test_links_urls_and_other_source_fields_are_not_restated(english):
    """The translation carries text only: URLs, dates, kinds and people stay in the source."""
    text = ENGLISH.read_text(encoding="utf-8")
    assert "http" not in text
    assert "bulletin@example-law.cn" in text  # the disclaimer's address, a text, is kept
    for entry in entries(english).values():
        assert not {"url", "kind", "published_on", "tags", "jurisdictions"} & set(entry)
