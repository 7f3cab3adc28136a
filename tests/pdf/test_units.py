"""Small pieces of the document: CSS strings, section numbers, link groups, file names."""

import pytest

from bulletin.pdf.document import chinese_number, css_string, link_groups, page_counter_css
from bulletin.pdf.files import download_filename


def test_css_string_cannot_close_the_style_element():
    assert css_string('名"</style>\\') == '"名\\"\\3c /style\\3e \\\\"'


def test_page_counter_reads_page_x_of_y():
    assert page_counter_css() == '"Page " counter(page) " of " counter(pages)'


@pytest.mark.parametrize(
    ("number", "words"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (25, "二十五")]
)
def test_sections_of_a_chinese_bulletin_are_numbered_in_chinese(number, words):
    assert chinese_number(number) == words


def test_links_are_grouped_under_one_heading_each():
    links = [
        {"kind": "primary", "label": "", "url": "https://a.example"},
        {"kind": "reference", "label": "", "url": "https://b.example"},
        {"kind": "reference", "label": "", "url": "https://c.example"},
        {"kind": "other", "label": "主页", "url": "https://d.example"},
    ]
    groups = link_groups(links)
    assert [(str(g["heading"]), g["urls"]) for g in groups] == [
        ("Link", ["https://a.example"]),
        ("Reference link", ["https://b.example", "https://c.example"]),
        ("主页", ["https://d.example"]),
    ]


def test_download_names_are_readable():
    assert download_filename(bulletin_slug="ai-monthly", year=2024, month=8) == (
        "AI-Monthly-2024-08.pdf"
    )
