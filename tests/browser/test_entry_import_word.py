"""An author adds an entry drafted in Word to the demo's draft issue, in a real browser, and finds
it with its links and its commentary."""

import pytest

from bulletin.models import Issue
from entries.models import Entry
from tests.factories import UserFactory
from tests.transfer.wordfiles import entry_docx, entry_spec

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_author_imports_a_word_entry_into_the_demo_draft(
    demo, open_admin_as, live_server, tmp_path
):
    UserFactory(username="lawyer", roles=["Author"])
    issue = Issue.objects.get(state=Issue.State.DRAFT)
    section = issue.sections.order_by("position").last()
    before = section.entries.count()
    spec = entry_spec(11) | {
        "title": "示例监管机构发布生成式人工智能备案指引",
        "case": None,
        "commentary": issue.bulletin.commentary_label,
        "authors": ["林青山"],
        "links": [
            ("primary", "", "https://regulator.example.gov/ai/filing-guide"),
            ("reference", "", "https://news.example.net/ai-filing"),
            ("reference", "", "https://news.example.net/ai-filing/faq"),
        ],
    }
    path = tmp_path / "entry.docx"
    path.write_bytes(entry_docx(spec))

    page = open_admin_as("lawyer")
    page.goto(f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/")
    page.click("text=Import an entry from Word")
    page.select_option("#id_section", str(section.pk))
    page.set_input_files("#id_file", str(path))
    page.click(".transfer-import-entry-form input[type=submit]")
    page.wait_for_load_state()

    entry = Entry.objects.get(title=spec["title"])
    assert page.url.endswith(f"/admin/entries/entry/{entry.pk}/change/")
    assert page.locator(".messagelist .success").inner_text().startswith("Imported")
    assert page.input_value("#id_title") == spec["title"]
    urls = [page.input_value(f"#id_links-{n}-url") for n in range(3)]
    assert urls == [url for _kind, _label, url in spec["links"]]
    commentary = page.locator("#commentary-0 [contenteditable=true]")
    assert "值得企业关注" in commentary.inner_text()
    chosen = page.locator("#id_commentary-0-authors_to option").all_inner_texts()
    assert any("林青山" in name for name in chosen)
    assert (entry.position, entry.state) == (before + 1, Entry.State.DRAFT)
